// End-to-end journeys for a complaint: a resident sends one using only the
// keyboard, then a member of staff signs in and finds it. Every page visited
// is checked with axe-core against WCAG 2.2 A and AA.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  activate,
  assertEveryPageChecked,
  checkA11y,
  chooseOption,
  chooseRadio,
  closePage,
  isFocused,
  launchBrowser,
  longDatesIn,
  mainText,
  openPage,
  tabTo,
  typeInto,
  utcDay,
  visit,
} from './helpers.js';

const REFERENCE = /CMP-\d{4}-\d{6}/;
const TEST_TIMEOUT_MS = 180_000;

const resident = {
  name: 'Aled Jones',
  email: 'aled@example.org',
  postcode: 'CF10 1AA',
  summary: 'The repair to my kitchen ceiling leak was booked three times and nobody came.',
  outcome: 'Fix the leak and explain the missed visits.',
  language: 'Polish',
  needs: 'I use a screen reader.',
};

const staff = {
  email: 'officer@demo.redress.test',
  password: 'demo-password-1',
};

/** A local calendar date `days` before today, as form field strings. */
function daysAgo(days) {
  const d = new Date();
  d.setDate(d.getDate() - days);
  return {
    day: String(d.getDate()),
    month: String(d.getMonth() + 1),
    year: String(d.getFullYear()),
  };
}

/** The reference shown in the confirmation panel. */
async function confirmationReference(page) {
  const panel = page.locator('.panel--confirmation');
  await panel.waitFor({ state: 'visible' });
  const text = await panel.innerText();
  const match = text.match(REFERENCE);
  assert.ok(match, `confirmation panel should show a reference like CMP-2025-000001, got: ${text}`);
  return match[0];
}

/** Expect an error summary titled "There is a problem" that takes focus. */
async function expectErrorSummary(page) {
  const summary = page.locator('.error-summary');
  await summary.waitFor({ state: 'visible' });
  assert.equal(await summary.count(), 1, 'exactly one error summary');
  const heading = summary.getByRole('heading', { name: 'There is a problem' });
  assert.equal(await heading.count(), 1, 'error summary has the heading "There is a problem"');

  // The summary is focused on load so that screen reader users hear it first.
  await page.waitForFunction(
    () => document.activeElement && document.activeElement.closest('.error-summary') !== null,
    null,
    { timeout: 5_000 },
  ).catch(() => assert.fail('the error summary should receive focus when the page loads'));

  // Each error in the summary links to the field it is about.
  const links = summary.locator('a[href^="#"]');
  const count = await links.count();
  assert.ok(count > 0, 'error summary lists at least one error as a link');
  for (let i = 0; i < count; i += 1) {
    const href = await links.nth(i).getAttribute('href');
    const id = decodeURIComponent(href.slice(1));
    const exists = await page.evaluate((target) => document.getElementById(target) !== null, id);
    assert.ok(exists, `error summary link ${href} should point at an element on the page`);
  }
}

let browser;
/** Shared between the resident and staff tests: the new complaint's reference. */
let submittedReference;
/** The confirmation page of that complaint, which offers a single-use link. */
let submittedConfirmation;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
});

describe('complaint journey', () => {
  it('a resident sends a complaint using only the keyboard', { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await openPage(browser);
    try {
      // Start page.
      await visit(page, '/', 'start page');

      // The first Tab stop is a skip link, which must show when focused.
      await page.keyboard.press('Tab');
      const skip = page.locator('a.skip-link');
      assert.equal(await skip.count(), 1, 'start page has a skip link');
      assert.equal(await isFocused(skip), true, 'the first Tab stop is the skip link');
      const box = await skip.boundingBox();
      assert.ok(box && box.width > 10 && box.height > 10, 'the skip link is visible when it has focus');

      const start = page.getByRole('link', { name: 'Make a complaint, comment or compliment' });
      await tabTo(page, start, { description: 'the "Make a complaint" link' });
      await Promise.all([page.waitForURL(/\/contact\/new(\?|$)/), page.keyboard.press('Enter')]);
      await checkA11y(page, 'contact form');

      // Sending the empty form gives an error summary.
      await activate(page, 'button', 'Continue');
      await expectErrorSummary(page);
      const errorTitle = await page.title();
      assert.ok(errorTitle.startsWith('Error:'), `title should start with "Error:", got "${errorTitle}"`);
      await checkA11y(page, 'contact form with errors');

      // Fill the form from the keyboard.
      await chooseRadio(page, 'kind', 'complaint');
      assert.equal(await page.locator('#kind').getAttribute('value'), 'complaint', '#kind is the "Complaint" radio');
      await chooseRadio(page, 'who', 'myself');
      assert.equal(await page.locator('#who').getAttribute('value'), 'myself', '#who is the "Myself" radio');
      await typeInto(page, '#name', resident.name);
      await typeInto(page, '#email', resident.email);
      await typeInto(page, '#phone', '');
      await typeInto(page, '#postcode', resident.postcode);
      await typeInto(page, '#summary', resident.summary);
      await typeInto(page, '#outcome_wanted', resident.outcome);
      const issued = daysAgo(20);
      await typeInto(page, '#issue_date-day', issued.day);
      await typeInto(page, '#issue_date-month', issued.month);
      await typeInto(page, '#issue_date-year', issued.year);
      await chooseRadio(page, 'preferred_contact', 'email');
      await chooseOption(page, '#preferred_format', 'large-print');
      await typeInto(page, '#language', resident.language);
      await typeInto(page, '#needs', resident.needs);

      await activate(page, 'button', 'Continue');

      // Check answers.
      const h1 = page.locator('h1');
      assert.equal((await h1.innerText()).trim(), 'Check your answers before sending');
      assert.equal(await page.locator('.error-summary').count(), 0, 'no errors after a valid form');
      const answers = await mainText(page);
      assert.ok(answers.includes(resident.name), 'check answers shows the name');
      assert.ok(answers.includes(resident.summary), 'check answers shows the summary');
      await checkA11y(page, 'check your answers');
      const checkAnswersUrl = page.url();

      // Send.
      await activate(page, 'button', 'Send');
      const reference = await confirmationReference(page);
      const confirmation = await mainText(page);
      assert.match(confirmation, /acknowledge/i, 'confirmation says when the complaint will be acknowledged');
      const dates = longDatesIn(confirmation);
      assert.ok(dates.length > 0, `confirmation shows a date like "7 March 2025": ${confirmation}`);
      const earliest = utcDay(-1);
      const latest = utcDay(21);
      assert.ok(
        dates.some((d) => d >= earliest && d <= latest),
        `confirmation shows an acknowledgement date within the next few weeks: ${confirmation}`,
      );
      await checkA11y(page, 'confirmation');
      const confirmationUrl = page.url();

      // The confirmation page is reached by a redirect, so reloading is safe.
      const reloaded = await page.reload({ waitUntil: 'load' });
      assert.ok(reloaded && reloaded.ok(), 'reloading the confirmation page succeeds');
      assert.equal(page.url(), confirmationUrl, 'reload stays on the confirmation page');
      assert.equal(await confirmationReference(page), reference, 'reload shows the same reference');
      await checkA11y(page, 'confirmation after reload');

      // Going back and sending again must not create a second complaint.
      await page.goBack({ waitUntil: 'load' });
      assert.equal(page.url(), checkAnswersUrl, 'Back returns to the check answers page');
      assert.equal((await page.locator('h1').innerText()).trim(), 'Check your answers before sending');
      await checkA11y(page, 'check your answers after Back');
      await activate(page, 'button', 'Send');
      assert.equal(await confirmationReference(page), reference, 'sending twice gives the same reference');
      await checkA11y(page, 'confirmation after sending twice');

      assertEveryPageChecked(page);
      submittedReference = reference;
      submittedConfirmation = confirmationUrl;
    } finally {
      await closePage(page);
    }
  });

  it('the resident follows their complaint online', { timeout: TEST_TIMEOUT_MS }, async () => {
    assert.ok(submittedReference, 'needs the reference from the resident test, which did not finish');
    const page = await openPage(browser);
    try {
      await visit(page, `/track?reference=${submittedReference}`, 'follow your complaint');
      await typeInto(page, '#answer', resident.email);
      await activate(page, 'button', 'Continue');
      await checkA11y(page, 'your complaint');
      const text = await mainText(page);
      assert.ok(text.includes(submittedReference), 'the page shows the reference');
      assert.ok(text.includes('We will acknowledge it'), 'the page shows when we will acknowledge it');
      await typeInto(page, '#information', 'The leak is worse after the rain.');
      await activate(page, 'button', 'Send');
      await checkA11y(page, 'your complaint after adding information');
      assert.ok((await mainText(page)).includes('We have added what you told us'));
      assertEveryPageChecked(page);
    } finally {
      await closePage(page);
    }
  });

  it('the resident opens their case from the single-use link', { timeout: TEST_TIMEOUT_MS }, async () => {
    assert.ok(submittedConfirmation, 'needs the confirmation page from the resident test, which did not finish');
    const page = await openPage(browser);
    try {
      await visit(page, new URL(submittedConfirmation).pathname, 'confirmation with a follow link');
      await Promise.all([
        page.waitForNavigation({ waitUntil: 'load' }),
        page.getByRole('link', { name: 'Follow it online now' }).click(),
      ]);
      await checkA11y(page, 'open your case');
      await activate(page, 'button', 'Open my case');
      await checkA11y(page, 'your complaint from the link');
      assert.ok((await mainText(page)).includes(submittedReference), 'the link opens the right case');
      assertEveryPageChecked(page);
    } finally {
      await closePage(page);
    }
  });

  it('a member of staff signs in and finds the complaint', { timeout: TEST_TIMEOUT_MS }, async () => {
    assert.ok(submittedReference, 'needs the reference from the resident test, which did not finish');
    const page = await openPage(browser);
    try {
      await visit(page, '/staff/login', 'staff sign in');
      await typeInto(page, '#email', staff.email);
      await typeInto(page, '#password', staff.password);
      await activate(page, 'button', 'Sign in');
      assert.equal(new URL(page.url()).pathname, '/staff', 'signing in lands on My work');
      await checkA11y(page, 'my work');
      assert.match(await mainText(page), /My open cases, next deadline first/);
      await visit(page, '/staff/cases', 'case list');

      // A word found in several demo cases: the results say they come newest first.
      await typeInto(page, '#q', 'repair');
      await activate(page, 'button', 'Search');
      await checkA11y(page, 'case list word search');
      const found = await page.locator('[role="status"]').first().innerText();
      assert.match(found, /^\d+ cases found, most recently added first$/, `the search says its order, got "${found}"`);

      await typeInto(page, '#q', submittedReference);
      await activate(page, 'button', 'Search');
      await checkA11y(page, 'case list search results');

      const row = page.locator('table tbody tr', { hasText: submittedReference });
      assert.equal(await row.count(), 1, `one row in the results for ${submittedReference}`);
      const link = row.getByRole('link', { name: submittedReference });
      assert.equal(await link.count(), 1, 'the row links to the case by its reference');
      await tabTo(page, link, { description: `the link to ${submittedReference}` });
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);

      // Case page.
      const heading = await page.locator('h1').innerText();
      assert.ok(heading.includes(submittedReference), `case heading shows the reference, got "${heading}"`);

      // The summary comes first: the deadlines, who has it, and the resident's needs.
      const summary = page.locator('.case-top__summary');
      assert.equal(await summary.count(), 1, 'the case page starts with a summary');
      const summaryText = await summary.innerText();
      assert.match(summaryText, /screen reader/i, 'the summary shows the resident\'s needs');
      assert.ok(summaryText.includes('Acknowledge by'), 'the summary shows the acknowledgement deadline');
      assert.ok(summaryText.includes('Respond by'), 'the summary shows the response deadline');
      // A screen reader reaches the summary before the actions.
      const order = await page.evaluate(() => {
        const headings = [...document.querySelectorAll('main h2')].map((h) => h.textContent.trim());
        return [headings.indexOf('Summary'), headings.indexOf('What next'), headings.indexOf('History')];
      });
      assert.ok(order[0] >= 0 && order[0] < order[1] && order[1] < order[2], `summary, then what next, then history: ${order}`);

      const received = page.locator('.timeline .timeline__item', { hasText: 'Received' });
      assert.ok((await received.count()) >= 1, 'the case history has a "Received" entry');
      await checkA11y(page, 'case page');

      assertEveryPageChecked(page);
    } finally {
      await closePage(page);
    }
  });

  it('the officer checks and edits the response before it goes, and the resident reads it', { timeout: TEST_TIMEOUT_MS }, async () => {
    assert.ok(submittedReference, 'needs the reference from the resident test, which did not finish');
    const page = await openPage(browser, { viewport: { width: 1366, height: 900 } });
    try {
      await visit(page, '/staff/login', 'staff sign in');
      await typeInto(page, '#email', staff.email);
      await typeInto(page, '#password', staff.password);
      await activate(page, 'button', 'Sign in');
      await checkA11y(page, 'my work');
      // The new complaint waits for someone to take it; the count leads to it.
      await Promise.all([
        page.waitForNavigation({ waitUntil: 'load' }),
        page.locator('.tile__link', { hasText: 'new, waiting for someone to take them' }).first().click(),
      ]);
      await checkA11y(page, 'new contacts waiting for triage');
      assert.ok((await mainText(page)).includes(submittedReference), 'the new complaint is waiting for triage');
      await visit(page, `/staff/cases/${submittedReference}`, 'case page');

      const action = async (name, label) => {
        await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('link', { name, exact: true }).click()]);
        await checkA11y(page, label);
      };
      await action('Assign a complaints officer', 'assign an officer');
      await page.selectOption('#to', { label: 'Priya Shah (Complaints officer)' });
      await activate(page, 'button', 'Save');
      await checkA11y(page, 'case after assigning');
      await action('Acknowledge the complaint', 'acknowledge');
      await activate(page, 'button', 'Save');
      await checkA11y(page, 'case after acknowledging');
      assert.match(await mainText(page), /Check the letter it wrote below, then send it/);

      // The acknowledgement is a draft: preview it, then send it.
      const draft = async (subject) => {
        const link = page.locator('table a[href$="/check"]', { hasText: subject }).first();
        await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), link.click()]);
        await checkA11y(page, `check: ${subject}`);
        assert.match(await mainText(page), /Check this letter before it goes/);
      };
      await draft('We have received your complaint');
      assert.match(await mainText(page), /Priya Shah\s+Complaints Officer/, 'the letter is signed');
      const send = async () => {
        const name = (await page.getByRole('button', { name: 'Send the email', exact: true }).count()) > 0 ? 'Send the email' : 'Send to the print queue';
        await activate(page, 'button', name);
      };
      await send();
      await checkA11y(page, 'case after sending the acknowledgement');
      assert.match(await mainText(page), /The letter is on its way/);

      await action('Record the response', 'record the response');
      await typeInto(page, '#point_1', 'Missed repair visits');
      await chooseRadio(page, 'upheld_1', 'yes');
      await typeInto(page, '#reasons', 'The contractor missed three visits.');
      await activate(page, 'button', 'Record response');
      await checkA11y(page, 'case after the response');

      // The officer reads the response and adds the visit date before it goes.
      await draft('Our stage 1 response');
      const body = await page.locator('#body').inputValue();
      await page.fill('#body', body.replace('The contractor missed three visits.', 'The contractor missed three visits. A new visit is booked for Tuesday at 9am.'));
      await activate(page, 'button', 'Save changes');
      await checkA11y(page, 'the edited response');
      assert.match(await mainText(page), /Your changes are saved/);
      await send();
      await checkA11y(page, 'case after sending the response');
      await visit(page, `/staff/cases/${submittedReference}?history=letters`, 'the history of letters');
      assert.match(await mainText(page), /Letter edited/);
      assertEveryPageChecked(page);
    } finally {
      await closePage(page);
    }

    // The resident reads the letter as it was sent.
    const resident_page = await openPage(browser, { viewport: { width: 390, height: 844 } });
    try {
      await visit(resident_page, `/track?reference=${submittedReference}`, 'follow your complaint');
      await typeInto(resident_page, '#answer', resident.email);
      await activate(resident_page, 'button', 'Continue');
      await checkA11y(resident_page, 'your complaint with its response');
      const letter = resident_page.locator('details', { hasText: 'Our stage 1 response' });
      await letter.locator('summary').focus();
      await resident_page.keyboard.press('Enter');
      assert.match(await letter.innerText(), /A new visit is booked for Tuesday at 9am/);
      await checkA11y(resident_page, 'the response opened');
      assertEveryPageChecked(resident_page);
    } finally {
      await closePage(resident_page);
    }
  });

  it('a wrong password shows an error', { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await openPage(browser);
    try {
      await visit(page, '/staff/login', 'staff sign in');
      await typeInto(page, '#email', staff.email);
      await typeInto(page, '#password', 'not-the-password');
      await activate(page, 'button', 'Sign in');
      await expectErrorSummary(page);
      assert.notEqual(new URL(page.url()).pathname, '/staff/cases', 'a wrong password does not sign in');
      await checkA11y(page, 'staff sign in with error');

      assertEveryPageChecked(page);
    } finally {
      await closePage(page);
    }
  });
});
