// A Welsh speaker's whole journey in Welsh: they choose Cymraeg on the start page, make a
// complaint (switching language mid-form keeps their answers), get the confirmation with
// Welsh dates, follow it online, receive the acknowledgement by email in Welsh, and answer
// the satisfaction survey in Welsh. Every page is checked with axe-core, and each resident
// page says it is in Welsh (lang="cy").

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  assertEveryPageChecked,
  checkA11y,
  chooseRadio,
  closePage,
  emailMatching,
  launchBrowser,
  mainText,
  openPage,
  signIn,
  submit,
  typeInto,
  url,
  visit,
} from './helpers.js';

const TEST_TIMEOUT_MS = 240_000;
const REFERENCE = /CMP-\d{4}-\d{6}/;
const WELSH_DATE = /\b\d{1,2} (Ionawr|Chwefror|Mawrth|Ebrill|Mai|Mehefin|Gorffennaf|Awst|Medi|Hydref|Tachwedd|Rhagfyr) \d{4}\b/;
const resident = {
  name: 'Gwenllian Rhys',
  email: 'gwenllian.rhys@example.org',
  postcode: 'SA31 1AA',
  summary: "Mae'r gwres wedi torri ers pythefnos ac nid oes neb wedi dod i'w drwsio.",
};

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
});

async function lang(page) {
  return page.locator('html').getAttribute('lang');
}

/** Follows a link by its name and checks the page it leads to. */
async function follow(page, name, label) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('link', { name, exact: true }).click()]);
  await checkA11y(page, label);
}

/** The first email whose text matches, with quoted-printable lines joined. */
async function welshEmail(pattern) {
  const mail = await emailMatching([pattern], 60_000);
  return mail.data.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
}

describe('a Welsh speaker', () => {
  it('complains, follows it, is written to and answers the survey in Welsh', { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await openPage(browser);
    const staffPage = await openPage(browser);
    try {
      await visit(page, '/', 'start page');
      assert.equal(await lang(page), 'en');
      await follow(page, 'Cymraeg', 'start page in Welsh');
      assert.equal(await lang(page), 'cy');
      assert.match(await mainText(page), /Cwynion, sylwadau a chanmoliaeth/);
      await follow(page, 'Gwneud cwyn, sylw neu ganmoliaeth', 'the form in Welsh');
      assert.equal(await lang(page), 'cy');

      // Changing language part way through keeps what was typed.
      await typeInto(page, '#name', resident.name);
      await typeInto(page, '#summary', resident.summary);
      await submit(page, 'English', 'the form in English with the answers kept');
      assert.equal(await lang(page), 'en');
      assert.equal(await page.inputValue('#name'), resident.name);
      assert.equal(await page.inputValue('#summary'), resident.summary);
      await submit(page, 'Cymraeg', 'the form in Welsh again');
      assert.equal(await lang(page), 'cy');
      assert.equal(await page.inputValue('#name'), resident.name);

      // Enter in a field continues (it never presses the language button), and what is
      // missing is said in Welsh.
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.press('#name', 'Enter')]);
      await checkA11y(page, 'the form with errors in Welsh');
      assert.equal(await lang(page), 'cy', 'Enter continued in Welsh rather than switching language');
      assert.ok((await page.title()).startsWith('Gwall:'), await page.title());
      const errors = await page.locator('.error-summary').innerText();
      assert.match(errors, /Mae problem wedi codi/);
      assert.match(errors, /Dewiswch beth rydych am ei ddweud wrthym/);

      await chooseRadio(page, 'kind', 'complaint');
      await chooseRadio(page, 'who', 'myself');
      await typeInto(page, '#email', resident.email);
      await typeInto(page, '#postcode', resident.postcode);
      await chooseRadio(page, 'preferred_contact', 'email');
      assert.equal(await page.locator('input[name="correspond_in"][value="cy"]').isChecked(), true, 'letters in Welsh, as the form is');
      await submit(page, 'Parhau', 'check your answers in Welsh');
      assert.equal((await page.locator('h1').innerText()).trim(), 'Gwiriwch eich atebion cyn anfon');
      await submit(page, 'Anfon', 'confirmation in Welsh');
      const confirmation = await mainText(page);
      assert.match(confirmation, /Cwyn wedi dod i law/);
      assert.match(confirmation, WELSH_DATE, `the dates are in Welsh: ${confirmation}`);
      const reference = confirmation.match(REFERENCE)[0];

      // Following it online, in Welsh.
      await follow(page, 'dilynwch hyn ar-lein', 'follow your complaint in Welsh');
      assert.equal(await lang(page), 'cy');
      await typeInto(page, '#answer', resident.email);
      await submit(page, 'Parhau', 'your complaint in Welsh');
      const own = await mainText(page);
      assert.match(own, /Eich cwyn/);
      assert.match(own, WELSH_DATE);

      // The officer acknowledges it in English; the letter they check and send is Welsh.
      await signIn(staffPage, 'officer@demo.redress.test');
      await visit(staffPage, `/staff/cases/${reference}`, 'the Welsh speaker\'s case');
      assert.match(await mainText(staffPage), /Welsh \(Cymraeg\): write to them in Welsh/);
      await follow(staffPage, 'Assign a case worker', 'assign');
      await staffPage.selectOption('#to', { label: 'Tom Evans (Case worker)' });
      await submit(staffPage, 'Save', 'case after assignment');
      await follow(staffPage, 'Acknowledge the complaint', 'acknowledge');
      await staffPage.fill('#understanding', 'Mae’r gwres wedi torri ers pythefnos.');
      await staffPage.fill('#outcome_wanted', 'Trwsio’r gwres.');
      await submit(staffPage, 'Save', 'case after acknowledgement');
      const ack = staffPage.locator('table a[href$="/check"]', { hasText: 'Rydym wedi cael eich cwyn' }).first();
      await Promise.all([staffPage.waitForNavigation({ waitUntil: 'load' }), ack.click()]);
      await checkA11y(staffPage, 'the Welsh acknowledgement to check');
      assert.match(await mainText(staffPage), /Annwyl Gwenllian Rhys/);
      await submit(staffPage, 'Send the email', 'case after sending the acknowledgement');
      const acknowledgement = await welshEmail(new RegExp(`Rydym wedi cael eich cwyn ${reference}`));
      assert.match(acknowledgement, /Annwyl Gwenllian Rhys/);
      assert.match(acknowledgement, /Yn gywir/);
      assert.doesNotMatch(acknowledgement, /Dear Gwenllian/);

      // The response goes; the survey invitation comes in Welsh and is answered in Welsh.
      await follow(staffPage, 'Record the response', 'record the response');
      await staffPage.fill('#point_1', 'Gwres wedi torri');
      await staffPage.check('#upheld_1');
      await staffPage.fill('#reasons', 'Fe wnaethom wirio’r cofnodion atgyweirio.');
      await submit(staffPage, 'Record response', 'case after the response');
      const response = staffPage.locator('table a[href$="/check"]', { hasText: 'Ein hymateb cam 1' }).first();
      await Promise.all([staffPage.waitForNavigation({ waitUntil: 'load' }), response.click()]);
      await checkA11y(staffPage, 'the Welsh response to check');
      await submit(staffPage, 'Send the email', 'case after sending the response');
      const invitation = await welshEmail(new RegExp(`Sut wnaethon ni\\? \\(${reference}\\)`));
      const survey = invitation.match(/https?:\/\/\S+\/survey\/\w+/);
      assert.ok(survey, `the invitation has its link: ${invitation}`);
      await visit(page, new URL(survey[0]).pathname, 'the survey in Welsh');
      assert.equal(await lang(page), 'cy');
      assert.match(await mainText(page), /Sut wnaethon ni\?/);
      await page.check('#handling');
      await page.check('#outcome');
      await submit(page, 'Anfon atebion', 'thanks in Welsh');
      assert.match(await mainText(page), /Diolch/);
      assert.equal(await lang(page), 'cy');

      assertEveryPageChecked(page);
      assertEveryPageChecked(staffPage);
    } finally {
      await closePage(page);
      await closePage(staffPage);
    }
  });

  it('raises a Community Call for Scrutiny in Welsh', { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await openPage(browser);
    try {
      await visit(page, '/language/cy?back=/scrutiny', 'scrutiny start page in Welsh');
      assert.equal(await lang(page), 'cy');
      await follow(page, 'Dechrau nawr', 'the scrutiny form in Welsh');
      await submit(page, 'Anfon fy nghais', 'the scrutiny form with errors in Welsh');
      assert.match(await page.locator('.error-summary').innerText(), /Rhowch eich pryderon/);
      await typeInto(page, '#name', resident.name);
      await typeInto(page, '#email', resident.email);
      await chooseRadio(page, 'preferred_contact', 'email');
      await typeInto(page, '#concerns', 'Mae atgyweiriadau cymunedol yn cael eu gadael am fisoedd.');
      await typeInto(page, '#actions_taken', 'Rwyf wedi cwyno ddwywaith.');
      await typeInto(page, '#failures', 'Drws mynediad wedi torri ers mis Mawrth.');
      await typeInto(page, '#affected', 'Pawb yn Nhŷ Derwen.');
      await typeInto(page, '#resolution', 'Trwsio atgyweiriadau o fewn yr amseroedd a gyhoeddwyd.');
      await typeInto(page, '#signature', resident.name);
      await page.check('#declaration');
      await submit(page, 'Anfon fy nghais', 'the request sent, in Welsh');
      const sent = await mainText(page);
      assert.match(sent, /Cais wedi'i anfon/);
      assert.match(sent, /CCS-\d{4}-\d{4}/);
      assert.equal(await lang(page), 'cy');
      // A page that cannot be found says so in Welsh too, with the way back to English.
      const missing = await page.goto(url('/dim-tudalen'), { waitUntil: 'load' });
      assert.equal(missing.status(), 404);
      await checkA11y(page, 'page not found, in Welsh');
      assert.equal(await lang(page), 'cy');
      assert.match(await mainText(page), /Heb ddod o hyd i'r dudalen/);
      assert.ok(await page.getByRole('link', { name: 'English', exact: true }).isVisible());
      assertEveryPageChecked(page);
    } finally {
      await closePage(page);
    }
  });
});
