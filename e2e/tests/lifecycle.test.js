// A complaints officer takes a complaint through stage 1, the resident escalates, and a
// different case worker answers stage 2. Every page visited is checked with axe-core.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';

import { assertEveryPageChecked, checkA11y, closePage, launchBrowser, mainText, openPage, visit, submit } from './helpers.js';

const TEST_TIMEOUT_MS = 180_000;
let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
});

/** Waits for an email the test mail listener kept whose text matches. */
async function emailWith(pattern, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = readFileSync(process.env.MAIL_LOG, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))
      // Quoted-printable text folds long lines with "=" at the end: unfold it.
      .map((m) => ({ ...m, data: m.data.replace(/=\r?\n/g, '').replace(/=3D/g, '=') }))
      .find((m) => pattern.test(m.data));
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  assert.fail(`no email matching ${pattern}`);
}

/** Follow a link on the case page to an action form. */
async function openAction(page, name) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('link', { name, exact: true }).click()]);
  await checkA11y(page, name);
}

async function assign(page, worker) {
  await openAction(page, 'Assign a case worker');
  await page.selectOption('#to', { label: worker });
  await submit(page, 'Save', 'case after assignment');
}

async function acknowledge(page) {
  await openAction(page, 'Acknowledge the complaint');
  await page.fill('#understanding', 'The resident says repairs were booked and missed three times.');
  await page.fill('#outcome_wanted', 'The repair done and an explanation.');
  await submit(page, 'Save', 'case after acknowledgement');
  assert.match(await mainText(page), /Saved: acknowledge the complaint/);
}

async function respond(page, upheld) {
  await openAction(page, 'Record the response');
  await page.fill('#point_1', 'Missed repair appointments');
  await page.check(upheld ? '#upheld_1' : '#upheld_1-no');
  await page.fill('#reasons', 'We checked the repair records and spoke to the contractor.');
  await submit(page, 'Record response', 'case after response');
}

describe('complaint lifecycle', () => {
  it('stage 1, escalation, and stage 2 by a different case worker', { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await openPage(browser);
    try {
      await visit(page, '/staff/login', 'staff sign in');
      await page.fill('#email', 'officer@demo.redress.test');
      await page.fill('#password', 'demo-password-1');
      await submit(page, 'Sign in', 'case list');

      await visit(page, '/staff/cases?kind=complaint&status=received', 'new complaints');
      // A named resident, so there is someone to write to.
      const link = page.locator('table tbody tr', { hasNotText: 'Anonymous' }).first().locator('a').first();
      const reference = (await link.innerText()).trim();
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), link.click()]);
      await checkA11y(page, 'case page');

      // Responding before acknowledging is refused with a clear message.
      await openAction(page, 'Record the response');
      await page.fill('#point_1', 'Missed repair appointments');
      await page.check('#upheld_1');
      await page.fill('#reasons', 'Too early');
      await submit(page, 'Record response', 'response refused');
      assert.match(await mainText(page), /There is a problem/);
      assert.match(await mainText(page), /Acknowledge the complaint first/);
      await visit(page, `/staff/cases/${reference}`, 'case page again');

      await assign(page, 'Tom Evans (Case worker)');
      await acknowledge(page);
      await respond(page, true);

      // The officer sends the response; its survey invitation goes with it, and the
      // resident answers it as they would: from the email, or the code on the letter.
      const response = page.locator('table a[href$="/check"]', { hasText: 'Our stage 1 response' }).first();
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), response.click()]);
      await checkA11y(page, 'the response to check');
      const send = (await page.getByRole('button', { name: 'Send the email', exact: true }).count()) > 0 ? 'Send the email' : 'Send to the print queue';
      await submit(page, send, 'case after sending the response');
      const invitation = page.locator('table a[href$="/check"]', { hasText: 'How did we do?' }).first();
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), invitation.click()]);
      await checkA11y(page, 'survey invitation letter');
      let surveyLink = (await page.locator('main').innerText()).match(/https?:\/\/\S+\/survey\/\w+/);
      if (!surveyLink) {
        // Emailed: staff see the link redacted; the resident's email has it.
        assert.match(await mainText(page), /the resident's private link/);
        surveyLink = (await emailWith(new RegExp(`How did we do\\? \\(${reference}\\)`))).data.match(/https?:\/\/\S+\/survey\/\w+/);
      }
      const surveyPath = new URL(surveyLink[0]).pathname;
      await visit(page, surveyPath, 'satisfaction survey');
      await page.check('#handling');
      await page.check('#outcome-dissatisfied');
      await submit(page, 'Send answers', 'survey thanks');
      assert.match(await mainText(page), /Ask for a review/);
      await visit(page, `/staff/cases/${reference}`, 'case page after the survey');
      // The unhappy answer waits for a follow-up, which the officer records.
      assert.match(await page.locator('.case-top__summary').innerText(), /dissatisfied: follow it up/);
      await openAction(page, 'Record a survey follow-up');
      await page.fill('#note', 'Rang the resident; the contractor is booked again.');
      await submit(page, 'Save', 'case after the follow-up');
      // A detail recorded wrongly is corrected, with a reason.
      await openAction(page, 'Correct the details');
      await submit(page, 'Save', 'correction refused without a reason');
      assert.match(await mainText(page), /Enter why the details are being corrected/);
      await page.fill('#phone', '029 2000 0000');
      await page.fill('#reason', 'The resident gave a new number on the phone.');
      await submit(page, 'Save', 'case after the correction');
      assert.match(await mainText(page), /Details corrected/);

      await openAction(page, 'Escalate to the next stage');
      await submit(page, 'Save', 'case after escalation');
      assert.match(await mainText(page), /Stage 2/);

      // The stage 1 case worker cannot answer stage 2.
      await openAction(page, 'Assign a case worker');
      await page.selectOption('#to', { label: 'Tom Evans (Case worker)' });
      await submit(page, 'Save', 'same case worker refused');
      assert.match(await mainText(page), /must be a different person/);
      await visit(page, `/staff/cases/${reference}`, 'case page before stage 2');

      await assign(page, 'Nia Roberts (Case worker)');
      await acknowledge(page);
      await respond(page, false);

      // Put things right, then record the ombudsman's involvement.
      await openAction(page, 'Add a remedy');
      await page.selectOption('#kind', 'financial');
      await page.fill('#description', 'Compensation for the time without a working kitchen');
      await page.selectOption('#to', { label: 'Priya Shah (Complaints officer)' });
      await page.selectOption('#payment_kind', 'compensation');
      await page.fill('#amount', '175');
      await submit(page, 'Save', 'case after adding a remedy');
      assert.match(await mainText(page), /Saved: add a remedy/);
      // The acknowledgement letters are on the case and can be printed.
      await visit(page, '/staff/letters', 'letters to print');
      await visit(page, `/staff/cases/${reference}`, 'case page with letters');
      const letter = page.locator('table a[href^="/staff/letters/"]').first();
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), letter.click()]);
      await checkA11y(page, 'printable letter');
      assert.match(await page.locator('main').innerText(), new RegExp(reference));
      await visit(page, `/staff/cases/${reference}`, 'case page after the letter');

      await visit(page, `/staff/cases/${reference}/act/add-file`, 'add a file');
      await visit(page, `/staff/cases/${reference}/act/restrict-contact`, 'record a contact restriction');
      await visit(page, '/staff/workload', 'workload');
      assert.match(await mainText(page), /Nia Roberts/);
      await visit(page, '/staff/actions', 'remedies due');
      assert.match(await mainText(page), /£175\.00/);
      await visit(page, `/staff/cases/${reference}`, 'case page with a remedy');

      await openAction(page, 'Record a referral to the ombudsman');
      await page.fill('#their_reference', 'HOS-2026-0042');
      await submit(page, 'Save', 'case after referral');
      assert.match(await mainText(page), /Saved: record a referral/);
      await openAction(page, "Record the ombudsman's determination");
      await page.check('#determination-service-failure');
      await page.fill('#summary', 'The repairs took too long.');
      await submit(page, 'Save', 'case after determination');

      const text = await mainText(page);
      assert.match(text, /Service failure/);
      assert.match(text, /Stage 2/);
      assert.match(text, /Nia Roberts/);
      assert.match(text, /Escalated/);
      assert.ok((await page.locator('.timeline .timeline__item', { hasText: 'Response sent' }).count()) >= 2, 'both responses are in the history');
      assertEveryPageChecked(page);
    } finally {
      await closePage(page);
    }
  });

  it('an administrator edits the wording of a letter', { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await openPage(browser);
    try {
      await visit(page, '/staff/login', 'staff sign in');
      await page.fill('#email', 'admin@demo.redress.test');
      await page.fill('#password', 'demo-password-1');
      await submit(page, 'Sign in', 'case list');
      await visit(page, '/staff/admin/letters/extension', 'letter wording');
      await page.fill('#body', 'Dear {{name}}\n\nWe need until {{respond_by}}. {{nonsense}}');
      await submit(page, 'Save wording', 'letter wording with an error');
      assert.match(await mainText(page), /is not a placeholder Redress knows/);
      await page.fill('#body', 'Dear {{name}}\n\nWe need until {{respond_by}} because {{extension_reason}}. The {{ombudsman}}: {{ombudsman_contact}}');
      await submit(page, 'Save wording', 'letter wording saved');
      assert.match(await mainText(page), /The wording is saved/);
      await visit(page, '/staff/admin', 'settings');
      assert.match(await mainText(page), /Changed the wording of the extension letter/);
      await visit(page, '/staff/admin/users', 'users and roles');
      await visit(page, '/staff/admin/organisation', 'service areas and closure days');
      await visit(page, '/staff/admin/signing', 'signing and approvals');
      await page.fill('#payment_limit', 'lots');
      await submit(page, 'Save', 'signing with an amount that is not money');
      assert.match(await mainText(page), /There is a problem/);
      await page.fill('#payment_limit', '250');
      await submit(page, 'Save', 'signing saved');
      assert.match(await mainText(page), /Letters drafted from now on use these settings/);
      await visit(page, '/staff/admin/limits', 'limits');
      await page.fill('#files_per_case', 'many');
      await submit(page, 'Save', 'limits with a number that is not one');
      assert.match(await mainText(page), /Enter the files one case may hold as a whole number from 1 to 500/);
      await page.fill('#files_per_case', '40');
      await submit(page, 'Save', 'limits saved');
      assert.match(await mainText(page), /The new limits apply to the next file sent/);
      await visit(page, '/staff/admin/webhooks', 'webhooks');
      await page.fill('#description', 'Housing management system');
      await page.fill('#url', 'http://hms.example.org/hooks');
      await submit(page, 'Add endpoint', 'a webhook address in the clear');
      assert.match(await mainText(page), /plain http is allowed only to this machine/);
      await page.fill('#url', 'https://hms.example.org/hooks');
      await submit(page, 'Add endpoint', 'a webhook endpoint registered with its secret');
      assert.match(await mainText(page), /whsec_/);
      await page.click('text=See the endpoint and send it a test');
      await page.waitForLoadState('load');
      await checkA11y(page, 'a webhook endpoint');
      await submit(page, 'Send a test', 'a webhook test queued');
      assert.match(await mainText(page), /A test message is queued/);
      // Removing is asked first.
      await submit(page, 'Remove', 'removing a webhook endpoint, asked first');
      assert.match(await mainText(page), /Remove this endpoint\?/);
      await submit(page, 'Yes, remove it', 'the webhook endpoint removed');
      assert.match(await mainText(page), /No endpoints yet/);
      await visit(page, '/staff/admin/schemes', 'schemes');
      await visit(page, '/staff/admin/schemes/new?copy=hos-2024', 'a scheme copied to make our own');
      await page.fill('#scheme_id', 'Council 30');
      await page.fill('#stage1_respond', '30');
      await page.selectOption('#stage1_unit', 'calendar-days');
      await submit(page, 'Save the scheme', 'a scheme with a short name that cannot be used');
      assert.match(await mainText(page), /The short name must start with a letter/);
      await page.fill('#scheme_id', 'council-30-day');
      await submit(page, 'Save the scheme', 'our own scheme saved');
      assert.match(await mainText(page), /Ours, version 1/);
      assert.match(await mainText(page), /30 calendar days/);
      await visit(page, '/staff', 'my work for an administrator');
      assert.match(await mainText(page), /Everyone's cases/);
      assertEveryPageChecked(page);
    } finally {
      await closePage(page);
    }
  });

  it('the governing body approves the annual report, which is published as approved', { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await openPage(browser);
    try {
      await visit(page, '/staff/login', 'staff sign in');
      await page.fill('#email', 'board@demo.redress.test');
      await page.fill('#password', 'demo-password-1');
      await submit(page, 'Sign in', 'home for the governing body');
      await visit(page, '/staff/reports/annual', 'annual report for the governing body');
      assert.match(await mainText(page), /Not published yet/);
      await submit(page, 'Approve and publish', 'annual report approved with no response');
      assert.match(await mainText(page), /Write the governing body's response before approving/);
      await page.fill('#governing_body_response', 'The board accepts these findings and will review progress each quarter.');
      await submit(page, 'Approve and publish', 'annual report approved');
      assert.match(await mainText(page), /Version 1, approved by David Lewis/);
      const href = await page.locator('.inset-text a').first().getAttribute('href');
      await visit(page, href, 'the published annual report');
      assert.match(await mainText(page), /Approved by the governing body and published on/);
      assert.match(await mainText(page), /The board accepts these findings/);
      // The same report in Welsh, from its language link: the board's own words as written.
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('link', { name: 'Cymraeg', exact: true }).click()]);
      await checkA11y(page, 'the published annual report in Welsh');
      assert.equal(await page.locator('html').getAttribute('lang'), 'cy');
      assert.match(await mainText(page), /Cymeradwywyd gan y corff llywodraethu/);
      assert.match(await mainText(page), /Hunanasesiad yn erbyn y Cod Ymdrin â Chwynion/);
      assert.match(await mainText(page), /The board accepts these findings/);
      assertEveryPageChecked(page);
    } finally {
      await closePage(page);
    }
  });

  it('an administrator answers a subject access request and erases a closed case', { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await openPage(browser);
    try {
      await visit(page, '/staff/login', 'staff sign in');
      await page.fill('#email', 'admin@demo.redress.test');
      await page.fill('#password', 'demo-password-1');
      await submit(page, 'Sign in', 'case list');
      await visit(page, '/staff/improvements/new', 'propose an improvement');
      await page.fill('#title', 'Text reminders the day before a repair visit');
      await page.fill('#description', 'Residents missed visits because nobody reminded them.');
      await submit(page, 'Add to the register', 'the new improvement');
      await page.check('#status');
      await submit(page, 'Save decision', 'improvement after a decision');
      assert.match(await mainText(page), /Agreed/);
      await visit(page, '/staff/improvements', 'service improvement register');
      await visit(page, '/staff/reports', 'performance report');
      assert.match(await mainText(page), /New complaints/);
      await visit(page, '/staff/reports/tsm', 'tenant satisfaction measures');
      await visit(page, '/staff/reports/trends', 'trends by quarter and year');
      assert.match(await mainText(page), /Quarter|By quarter/);
      await visit(page, '/staff/reports/open', 'open complaints by risk of breach');
      await visit(page, '/staff/reports/compare', 'compare with other organisations');
      await visit(page, '/staff/reports/annual', 'annual report and self-assessment');
      assert.match(await mainText(page), /Self-assessment against the Complaint Handling Code/);
      assert.match(await mainText(page), /CH02 stage 1, strict reading/);
      await visit(page, '/staff/admin/organisation', 'organisation settings');
      await visit(page, '/staff/admin/users', 'users and service areas');
      await visit(page, '/staff/admin/privacy', 'data protection');
      await visit(page, '/staff/admin/branding', 'branding');
      await page.fill('#colour', '#ffdd00');
      await submit(page, 'Save name and colour', 'branding with a colour that is too light');
      assert.match(await mainText(page), /choose a darker colour/);

      await visit(page, '/staff/cases?status=closed', 'closed cases');
      const first = page.locator('table tbody tr a[href^="/staff/cases/"]').first();
      const reference = (await first.innerText()).trim();
      await visit(page, `/staff/cases/${reference}`, 'a closed case');
      await openAction(page, 'Erase personal data');
      await page.fill('#reason', 'Erasure request agreed by the data protection officer');
      await submit(page, 'Erase personal data', 'case after erasure');
      assert.match(await mainText(page), /Personal data erased on/);

      await visit(page, '/staff/admin/privacy', 'data protection again');
      await page.fill('#email', 'nobody@example.org');
      await submit(page, 'Find personal data', 'subject access export');
      assert.match(await mainText(page), /No cases were found/);
      assertEveryPageChecked(page);
    } finally {
      await closePage(page);
    }
  });
});
