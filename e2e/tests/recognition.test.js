// A complaints officer at triage: a request recorded from a phone call reads as a
// complaint, with the words that say so, and is raised as one; a damp complaint's possible
// hazard is confirmed and its Awaab's Law clock recorded. Every page is checked with
// axe-core, on desktop and on a phone.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { assertEveryPageChecked, checkA11y, closePage, launchBrowser, mainText, openPage, signIn, submit, visit } from './helpers.js';

const TEST_TIMEOUT_MS = 180_000;
let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
});

for (const [device, viewport] of [['desktop', { width: 1024, height: 768 }], ['phone', { width: 390, height: 844 }]]) {
  describe(`recognising complaints and hazards (${device})`, () => {
    it('a request that reads as a complaint is raised as one', { timeout: TEST_TIMEOUT_MS }, async () => {
      const page = await openPage(browser, { viewport });
      try {
        await signIn(page, 'officer@demo.redress.test');
        await visit(page, '/staff/cases/new', 'record a contact');
        await page.selectOption('#channel', 'phone');
        await page.check('input[name="kind"][value="service-request"]');
        await page.check('input[name="who"][value="myself"]');
        await page.fill('#name', 'Gwen Price');
        await page.fill('#email', 'gwen@example.org');
        await page.fill('#summary', 'Third time I have rung about the broken entry door. Nobody came on Monday or Thursday and nobody rang me back.');
        await submit(page, 'Save', 'the request recorded');
        const text = await mainText(page);
        assert.match(text, /This may be a complaint/);
        assert.match(text, /Third time/);
        await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('link', { name: 'Raise as a complaint', exact: true }).click()]);
        await checkA11y(page, 'raise a complaint from the request');
        await submit(page, 'Save', 'the complaint raised');
        assert.match(page.url(), /CMP-\d{4}-\d{6}/, 'the new complaint is shown');
        assertEveryPageChecked(page);
      } finally {
        await closePage(page);
      }
    });

    it('a complaint\'s possible hazard is confirmed and its clock recorded', { timeout: TEST_TIMEOUT_MS }, async () => {
      const page = await openPage(browser, { viewport });
      try {
        await signIn(page, 'officer@demo.redress.test');
        assert.match(await mainText(page), /Hazards in homes/);
        await visit(page, '/staff/cases?show=hazards', 'cases with hazards');
        const href = await page.evaluate(() => [...document.querySelectorAll('main a')]
          .map((a) => a.getAttribute('href'))
          .find((h) => /^\/staff\/cases\/[A-Z]{3}-\d{4}-\d{6}$/.test(h || '')));
        assert.ok(href, 'a case with a hazard is listed');
        await visit(page, href, 'a case with a possible hazard');
        if (!(await mainText(page)).includes('Possible hazard')) {
          // Confirmed already by the other device's run: its clocks are shown instead.
          assert.match(await mainText(page), /Hazard/);
          assertEveryPageChecked(page);
          return;
        }
        await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('link', { name: 'Confirm the hazard', exact: true }).click()]);
        await checkA11y(page, 'confirm a hazard');
        await submit(page, 'Confirm the hazard', 'the hazard confirmed');
        const text = await mainText(page);
        assert.match(text, /Awaab's Law applies/);
        assert.match(text, /Investigation finished/);
        await page.getByRole('link', { name: 'Record a hazard step' }).first().click();
        await page.waitForLoadState('load');
        await checkA11y(page, 'record a hazard step');
        const when = await page.inputValue('#time');
        await page.fill('#time', '99:99');
        await submit(page, 'Save', 'a hazard step with a time that is not one');
        assert.match(await mainText(page), /Enter the time as hours and minutes/);
        await page.fill('#time', when);
        await submit(page, 'Save', 'the investigation recorded');
        // The demo's complaints arrived weeks ago, so the clock may have been missed: either
        // way it is no longer running, and the history has the step.
        const recorded = await mainText(page);
        assert.match(recorded, /Investigation finished \d+ \w+ \d{4} \d+ \w+ \d{4} at \d\d:\d\d (Met|Missed)/);
        assert.match(recorded, /Hazard: investigation finished/);
        assertEveryPageChecked(page);
      } finally {
        await closePage(page);
      }
    });
  });
}
