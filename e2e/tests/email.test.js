// Email in, as a complaints officer meets it: a resident emails without using the word
// "complaint"; it arrives through the mailbox as a contact with a receipt, triage shows
// "This may be a complaint" with its reasons, and the officer raises it. The resident's
// reply to the acknowledgement joins the case as new correspondence, and a second email on
// the same subject is shown as a possible repeat. Every page is checked with axe-core.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';

import { assertEveryPageChecked, checkA11y, closePage, launchBrowser, mainText, openPage, signIn, submit, visit } from './helpers.js';

const TEST_TIMEOUT_MS = 240_000;
let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
});

/** Delivers a message into the service's mailbox, as a mail server would. */
function deliver(raw) {
  const conf = process.env.DOVECOT_CONF;
  assert.ok(conf, 'DOVECOT_CONF names the test mailbox (set by run.sh)');
  execFileSync('doveadm', ['-c', conf, 'save', '-u', 'complaints', '-m', 'INBOX'], { input: raw.replace(/\n/g, '\r\n') });
}

/** Waits until `pick` finds something among the emails to `to` (quoted-printable unfolded). */
async function waitForMail(to, pick, what, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const mails = readFileSync(process.env.MAIL_LOG, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))
      .map((m) => ({ ...m, data: m.data.replace(/=\r?\n/g, '').replace(/=3D/g, '=') }))
      .filter((m) => m.to.some((t) => t.includes(to)));
    const found = pick(mails);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  assert.fail(`no ${what} to ${to}`);
}

/** The first email to `to` whose text matches. */
function emailTo(to, pattern) {
  return waitForMail(to, (mails) => mails.find((m) => pattern.test(m.data)), `email matching ${pattern}`);
}

function messageId(mail) {
  const m = /^Message-ID:\s*(<[^>]+>)/im.exec(mail.data);
  assert.ok(m, 'Redress gives each email a Message-ID');
  return m[1];
}

/** The reference in a receipt to `who` for anything but `first`, once it has come. */
function secondReceipt(who, first) {
  return waitForMail(
    who,
    (mails) => mails.map((m) => /We have received your email: (SRQ-\d{4}-\d{6})/.exec(m.data)?.[1]).find((r) => r && r !== first),
    'second receipt',
  );
}

/** Reloads a case page until it shows `pattern` (the mailbox is read every few seconds). */
async function waitForText(page, path, pattern, label, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await visit(page, path, label);
    if (pattern.test(await mainText(page))) return;
    assert.ok(Date.now() < deadline, `${path} never showed ${pattern}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

describe('email in', () => {
  it('an emailed complaint is recognised, raised, threaded and its repeat shown', { timeout: TEST_TIMEOUT_MS }, async () => {
    const who = `rhian.${Date.now()}@example.org`;
    deliver(`From: Rhian Evans <${who}>
To: Complaints <complaints@demo.redress.test>
Subject: Boiler engineer no-show again
Message-ID: <first.${Date.now()}@example.org>
Content-Type: text/plain; charset=utf-8

This is the third time the boiler engineer hasn't turned up. I took a day off work each time and nobody rang to say. I'm really fed up with how this has been handled.

Rhian Evans, 4 Heol y Bryn
`);
    const receipt = await emailTo(who, /We have received your email/);
    const reference = /\b(SRQ-\d{4}-\d{6})\b/.exec(receipt.data)?.[1];
    assert.ok(reference, 'the receipt gives the reference');

    const page = await openPage(browser, { viewport: { width: 1024, height: 768 } });
    try {
      await signIn(page, 'officer@demo.redress.test');
      await visit(page, `/staff/cases/${reference}`, 'the emailed contact at triage');
      let text = await mainText(page);
      assert.match(text, /This may be a complaint/);
      assert.match(text, /third time/i);
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('link', { name: 'Raise as a complaint', exact: true }).click()]);
      await checkA11y(page, 'raise the email as a complaint');
      await submit(page, 'Save', 'the complaint raised');
      text = await mainText(page);
      assert.match(text, /Raised as a complaint by/);

      // Acknowledged: the letter goes by email, and the resident answers it.
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('link', { name: 'Acknowledge the complaint', exact: true }).click()]);
      await checkA11y(page, 'acknowledge the emailed complaint');
      await page.fill('#understanding', 'The boiler engineer missed three appointments and nobody told the resident.');
      await page.fill('#outcome_wanted', 'The boiler repaired and an apology.');
      await submit(page, 'Save', 'the complaint acknowledged');
      // Letters are checked before they go: the officer sends it.
      const letter = page.locator('table a[href$="/check"]', { hasText: 'We have received your complaint' }).first();
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), letter.click()]);
      await checkA11y(page, 'the acknowledgement to check');
      await submit(page, 'Send the email', 'the acknowledgement sent');
      const acknowledgement = await emailTo(who, /Our understanding of your complaint/);
      deliver(`From: Rhian Evans <${who}>
To: Complaints <complaints@demo.redress.test>
Subject: Re: We have received your complaint
Message-ID: <reply.${Date.now()}@example.org>
In-Reply-To: ${messageId(acknowledgement)}
References: ${messageId(receipt)} ${messageId(acknowledgement)}
Content-Type: text/plain; charset=utf-8

Thank you. I am in every day next week except Wednesday.

On Monday, Complaints wrote:
> Dear Rhian Evans
`);
      await waitForText(page, `/staff/cases/${reference}`, /Emails received/, 'the case with the reply');
      text = await mainText(page);
      assert.match(text, /every day next week except Wednesday/);
      assert.doesNotMatch(text, /> Dear Rhian/);
      await visit(page, '/staff', 'My work with new correspondence');
      assert.match(await mainText(page), /New correspondence/);
      await visit(page, `/staff/cases/${reference}`, 'the case before marking read');
      await submit(page, 'Mark new emails as read', 'the emails marked read');

      // The same person writes again about the same thing: a possible repeat.
      deliver(`From: Rhian Evans <${who}>
To: Complaints <complaints@demo.redress.test>
Subject: Boiler still broken
Message-ID: <second.${Date.now()}@example.org>
Content-Type: text/plain; charset=utf-8

The boiler engineer still hasn't turned up and the house is cold.
`);
      const newer = await secondReceipt(who, reference);
      await visit(page, `/staff/cases/${newer}`, 'the second email at triage');
      text = await mainText(page);
      assert.match(text, /This may repeat an earlier case/);
      assert.match(text, new RegExp(reference));
      assert.match(text, /Same email address/);
      assertEveryPageChecked(page);
    } finally {
      await closePage(page);
    }
  });
});
