// A resident says someone is at risk: advice is shown at once, the service emails the
// people who must act (read back from the test mail listener), and the case heads the
// complaints officer's My work until its review is recorded. Every page is checked with
// axe-core.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { assertEveryPageChecked, checkA11y, closePage, emailMatching, launchBrowser, mainText, openPage, visit, submit } from './helpers.js';

const TEST_TIMEOUT_MS = 180_000;
let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
});

describe('safeguarding', () => {
  it('a concern gets advice at once, reaches the officers by email and heads My work', { timeout: TEST_TIMEOUT_MS }, async () => {
    const resident = await openPage(browser, { viewport: { width: 390, height: 844 } });
    let reference;
    try {
      await visit(resident, '/contact/new', 'contact form on a phone');
      await resident.check('#kind');
      await resident.check('#who');
      await resident.fill('#name', 'Carys Price');
      await resident.fill('#email', 'carys@example.org');
      await resident.fill('#summary', 'The children next door are left alone for days and look hungry.');
      await resident.check('#safeguarding');
      assert.equal(await resident.locator('#safeguarding').getAttribute('value'), 'yes');
      await submit(resident, 'Continue', 'check answers with a safeguarding concern');
      assert.match(await mainText(resident), /If anyone is in danger now, call 999\./);
      assert.match(await mainText(resident), /0300 123 4568/, 'the safeguarding line is given');
      await submit(resident, 'Send', 'confirmation with safeguarding advice');
      const text = await mainText(resident);
      assert.match(text, /We have told our safeguarding lead about this straight away/);
      reference = text.match(/CMP-\d{4}-\d{6}/)[0];
      assert.match(await resident.locator('footer').innerText(), /0300 123 4567/, 'the footer says how to reach us');
      assertEveryPageChecked(resident);
    } finally {
      await closePage(resident);
    }

    // The alert goes by email at once, naming the case but not the concern.
    const alert = await emailMatching([/officer@demo\.redress\.test/, /Safeguarding:/, new RegExp(reference)]);
    assert.doesNotMatch(alert.data, /left alone/, 'the concern stays behind sign-in');

    const officer = await openPage(browser, { viewport: { width: 1366, height: 900 } });
    try {
      await visit(officer, '/staff/login', 'staff sign in');
      await officer.fill('#email', 'officer@demo.redress.test');
      await officer.fill('#password', 'demo-password-1');
      await submit(officer, 'Sign in', 'my work with a safeguarding concern');
      const banner = officer.locator('.notification-banner', { hasText: 'Safeguarding concerns to review now' });
      assert.equal(await banner.count(), 1, 'the concern heads My work');
      assert.match(await banner.innerText(), new RegExp(reference));
      await Promise.all([
        officer.waitForNavigation({ waitUntil: 'load' }),
        banner.getByRole('link', { name: `record the review of ${reference}` }).click(),
      ]);
      await checkA11y(officer, 'record the safeguarding review');
      await officer.fill('#note', 'Rang children\'s services; they are visiting today.');
      await submit(officer, 'Save', 'case after the safeguarding review');
      assert.match(await officer.locator('.case-top__summary').innerText(), /Reviewed on/);
      await visit(officer, '/staff', 'my work after the review');
      assert.doesNotMatch(await mainText(officer), new RegExp(`${reference} \\(Complaint`), 'no longer waiting for review');
      await visit(officer, '/staff/letters?status=to-convert', 'letters to transcribe or translate');
      assertEveryPageChecked(officer);
    } finally {
      await closePage(officer);
    }

    // The short address printed on letters, and the administrator's contact settings.
    const admin = await openPage(browser);
    try {
      await visit(admin, '/c', 'enter the code from your letter');
      await submit(admin, 'Continue', 'code missing');
      assert.match(await mainText(admin), /Enter the 8 letters and numbers of the code/);
      await visit(admin, '/staff/login', 'staff sign in');
      await admin.fill('#email', 'admin@demo.redress.test');
      await admin.fill('#password', 'demo-password-1');
      await submit(admin, 'Sign in', 'my work for an administrator');
      await visit(admin, '/staff/admin/contact', 'how residents reach us');
      await admin.fill('#phone', 'ring us');
      await submit(admin, 'Save', 'contact details with a wrong number');
      assert.match(await mainText(admin), /Enter a telephone number/);
      assertEveryPageChecked(admin);
    } finally {
      await closePage(admin);
    }
  });
});
