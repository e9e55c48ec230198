// The Tenants Panel: a panel member signs in, finds the demo complaint a Repairs resident
// sent to the panel, reads the complaint and the stage 1 response without the resident's
// contact details, and gives the panel's input. Every page is checked with axe-core.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { assertEveryPageChecked, checkA11y, closePage, launchBrowser, mainText, openPage, visit, submit } from './helpers.js';

const TEST_TIMEOUT_MS = 120_000;
let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
});

describe('tenants panel', () => {
  it('a panel member reads a complaint and gives the panel\'s input', { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await openPage(browser, { viewport: { width: 1280, height: 900 } });
    try {
      await visit(page, '/staff/login', 'staff sign in');
      await page.fill('#email', 'panel@demo.redress.test');
      await page.fill('#password', 'demo-password-1');
      await submit(page, 'Sign in', 'the Tenants Panel list');
      assert.match(new URL(page.url()).pathname, /^\/staff\/panel$/);
      assert.match(await mainText(page), /does not say when the damp will be treated/);
      const link = page.locator('table a').first();
      const reference = (await link.innerText()).trim();
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), link.click()]);
      await checkA11y(page, 'a complaint for the Tenants Panel');
      const text = await mainText(page);
      assert.match(text, /The stage 1 response/);
      assert.doesNotMatch(text, /@/, 'no email address is shown to the panel');
      await submit(page, 'Give the panel\'s input', 'the panel\'s input left empty');
      assert.match(await mainText(page), /Enter the panel's input/);
      await page.fill('#input', 'The response should say when the damp treatment will be booked.');
      await submit(page, 'Give the panel\'s input', 'the panel\'s input given');
      assert.match(await mainText(page), /Given on .* by Rhys Bowen/);
      await visit(page, '/staff/panel', 'the Tenants Panel list after the input');
      assert.doesNotMatch(await mainText(page), new RegExp(reference));
      assertEveryPageChecked(page);
    } finally {
      await closePage(page);
    }
  });
});
