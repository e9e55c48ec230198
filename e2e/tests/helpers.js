// Shared helpers for the Redress browser tests.
//
// The tests drive Debian's Chromium through playwright-core (no browser is
// downloaded) and run axe-core against every page a test visits.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';

/** Base address of the running server, without a trailing slash. */
export const BASE_URL = (process.env.BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');

/** Chromium binary; Debian's package installs it here. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** The WCAG levels every page must meet. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/** Default time allowed for a single browser action or wait, in ms. */
export const ACTION_TIMEOUT_MS = 15_000;

/** Start a headless Chromium. The caller must close it. */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
}

/** Build an absolute address on the server under test. */
export function url(path = '/') {
  return BASE_URL + (path.startsWith('/') ? path : `/${path}`);
}

/**
 * Open a page in a fresh browser context (own cookies) and start tracking it:
 * every document the page loads must get an accessibility check before the
 * next one replaces it (see `assertEveryPageChecked`), and script errors on
 * the page are recorded.
 */
export async function openPage(browser, { viewport = { width: 1024, height: 768 } } = {}) {
  const context = await browser.newContext({ viewport, locale: 'en-GB' });
  const page = await context.newPage();
  page.setDefaultTimeout(ACTION_TIMEOUT_MS);
  page.setDefaultNavigationTimeout(30_000);

  const log = { documents: [], pageErrors: [] };
  trackers.set(page, log);

  page.on('framenavigated', (frame) => {
    if (frame !== page.mainFrame()) return;
    const address = frame.url();
    if (address === 'about:blank') return;
    log.documents.push({ url: address, checked: false });
  });
  page.on('pageerror', (error) => {
    log.pageErrors.push(`${page.url()}: ${error.message}`);
  });
  return page;
}

const trackers = new WeakMap();

/** Format axe violations as readable text for an assertion message. */
export function formatViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => {
          const target = n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(', ');
          const why = (n.failureSummary || '').replace(/\s+/g, ' ').trim();
          return `      - ${target}${why ? `\n        ${why}` : ''}`;
        })
        .join('\n');
      return `  * [${v.impact || 'n/a'}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${nodes}`;
    })
    .join('\n');
}

/**
 * Run axe-core on the current page and fail when it finds any WCAG 2.2 A/AA
 * violation. `label` names the page in the failure message.
 */
export async function checkA11y(page, label) {
  await page.waitForLoadState('load');
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  const { violations } = results;
  if (violations.length > 0) {
    const report = formatViolations(violations);
    console.error(`Accessibility violations on "${label}" (${page.url()}):\n${report}`);
    assert.fail(
      `${violations.length} accessibility violation(s) on "${label}" (${page.url()}):\n${report}`,
    );
  }

  const log = trackers.get(page);
  if (log && log.documents.length > 0) {
    log.documents[log.documents.length - 1].checked = true;
  }
  return results;
}

/** Go to a path on the server, expect a successful response, and check it. */
export async function visit(page, path, label) {
  const response = await page.goto(url(path), { waitUntil: 'load' });
  assert.ok(response, `no response for ${path}`);
  assert.ok(response.ok(), `GET ${path} returned HTTP ${response.status()}`);
  await checkA11y(page, label);
  return response;
}

/**
 * Fail if the page loaded any document without an accessibility check, or if
 * any script on its pages threw. Call at the end of each test.
 */
export function assertEveryPageChecked(page) {
  const log = trackers.get(page);
  assert.ok(log, 'page was not opened with openPage()');
  const unchecked = log.documents.filter((d) => !d.checked).map((d) => d.url);
  assert.deepEqual(unchecked, [], `pages visited without an accessibility check:\n${unchecked.join('\n')}`);
  assert.deepEqual(log.pageErrors, [], `script errors on pages:\n${log.pageErrors.join('\n')}`);
}

/** Close the page's browser context. */
export async function closePage(page) {
  if (page) await page.context().close();
}

// ---------------------------------------------------------------------------
// Keyboard helpers. None of these use the mouse.
// ---------------------------------------------------------------------------

/** True when `locator` is the page's focused element. */
export async function isFocused(locator) {
  return locator.evaluate((el) => el === document.activeElement);
}

/**
 * Press Tab until `locator` has focus, proving it can be reached from the
 * keyboard. Fails after `maxPresses`.
 */
export async function tabTo(page, locator, { maxPresses = 60, description = String(locator) } = {}) {
  await locator.waitFor({ state: 'visible' });
  for (let i = 0; i < maxPresses; i += 1) {
    await page.keyboard.press('Tab');
    if (await isFocused(locator)) return;
  }
  assert.fail(`could not reach ${description} with ${maxPresses} presses of Tab`);
}

/** Focus a text field and type into it, replacing whatever it held. */
export async function typeInto(page, selector, text) {
  await page.focus(selector);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Backspace');
  if (text) await page.keyboard.type(text);
  const value = await page.inputValue(selector);
  assert.equal(value, text, `${selector} should hold the typed text`);
}

/** Choose a radio button with the keyboard (focus, then Space). */
export async function chooseRadio(page, name, value) {
  const radio = page.locator(`input[type="radio"][name="${name}"][value="${value}"]`);
  await radio.focus();
  await page.keyboard.press('Space');
  assert.equal(await radio.isChecked(), true, `radio ${name}=${value} should be selected`);
}

/** Choose an option of a <select> with the arrow keys. */
export async function chooseOption(page, selector, value) {
  const select = page.locator(selector);
  await select.focus();
  const count = await select.locator('option').count();
  await page.keyboard.press('Home');
  for (let i = 0; i < count && (await select.inputValue()) !== value; i += 1) {
    await page.keyboard.press('ArrowDown');
  }
  assert.equal(await select.inputValue(), value, `${selector} should be set to ${value}`);
}

/**
 * Tab to a button (or link) with the given accessible name and activate it
 * with `key`, waiting for the resulting page load.
 */
export async function activate(page, role, name, { key = 'Enter' } = {}) {
  const target = page.getByRole(role, { name, exact: true });
  await tabTo(page, target, { description: `${role} "${name}"` });
  const navigation = page.waitForNavigation({ waitUntil: 'load' });
  await page.keyboard.press(key);
  return navigation;
}

/** The trimmed visible text of the page's <main> element (or body). */
export async function mainText(page) {
  const main = page.locator('main');
  const scope = (await main.count()) > 0 ? main.first() : page.locator('body');
  return (await scope.innerText()).replace(/\s+/g, ' ').trim();
}

/** Dates in the GOV.UK style, e.g. "7 March 2025". */
export const LONG_DATE = /\b(\d{1,2}) (January|February|March|April|May|June|July|August|September|October|November|December) (\d{4})\b/g;

const MONTHS = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];

/** Every "7 March 2025"-style date in `text`, as UTC midnight Dates. */
export function longDatesIn(text) {
  return [...text.matchAll(LONG_DATE)].map(
    ([, d, m, y]) => new Date(Date.UTC(Number(y), MONTHS.indexOf(m), Number(d))),
  );
}

/** Today at UTC midnight, shifted by `days`. */
export function utcDay(days = 0) {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + days));
}

/** Waits for an email whose text matches every pattern; the messages the listener kept. */
export async function emailMatching(patterns, timeoutMs = 30_000) {
  const log = process.env.MAIL_LOG;
  assert.ok(log, 'MAIL_LOG names the test mail listener\'s file (set by run.sh)');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const messages = readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    const found = messages.find((m) => patterns.every((p) => p.test(`${m.to.join(' ')}\n${m.data}`)));
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  assert.fail(`no email matching ${patterns} within ${timeoutMs / 1000} seconds`);
}

/** Press a form's button, wait for the page it leads to, and check that page. */
export async function submit(page, button, label) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name: button, exact: true }).click()]);
  await checkA11y(page, label);
}

/** Signs a demo user in through the staff sign-in page (each page checked). */
export async function signIn(page, email) {
  await visit(page, '/staff/login', `sign in as ${email}`);
  await page.fill('#email', email);
  await page.fill('#password', 'demo-password-1');
  await submit(page, 'Sign in', `home of ${email}`);
}
