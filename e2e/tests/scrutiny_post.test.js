// A Community Call for Scrutiny from a resident who only uses post and reads Braille: the
// paper form logged with its scan, every letter held to be put into Braille and recorded
// when it goes, the decision's short code typed in, an appeal received by post, the panel
// chosen and upholding it, and the request accepted. Then the Board and the Executive
// Management Team read an exercise's final report and answer it. Every page visited is
// checked with axe-core.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  assertEveryPageChecked,
  checkA11y,
  chooseRadio,
  closePage,
  launchBrowser,
  mainText,
  openPage,
  signIn,
  submit,
  utcDay,
  visit,
} from './helpers.js';

const TEST_TIMEOUT_MS = 240_000;
const REFERENCE = /CCS-\d{4}-\d{4}/;
let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
});

async function follow(page, link, label) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), link.click()]);
  await checkA11y(page, label);
}

/** Records, from the request page, that the letter `subject` went in Braille. */
async function sentInBraille(page, subject, label) {
  await submit(page, `Record “${subject}” as sent as asked today`, label);
}

/** Records every letter waiting on the request page as sent in Braille. */
async function allSentInBraille(page, label) {
  const waiting = page.getByRole('button', { name: /^Record “.*” as sent as asked today$/ });
  for (let n = 1; (await waiting.count()) > 0; n += 1) {
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), waiting.first().click()]);
    await checkA11y(page, `${label} ${n}`);
  }
}

describe('scrutiny by post and in Braille', () => {
  it('paper request, Braille letters, postal appeal upheld', { timeout: TEST_TIMEOUT_MS }, async () => {
    const officer = await openPage(browser);
    const panel = await openPage(browser);
    const resident = await openPage(browser, { viewport: { width: 390, height: 844 } });
    try {
      // The form came by post two days ago: the officer types it in with its scan.
      await signIn(officer, 'officer@demo.redress.test');
      await visit(officer, '/staff/scrutiny', 'scrutiny requests');
      await follow(officer, officer.getByRole('link', { name: 'Log a request received on paper' }), 'log a paper request');
      const received = utcDay(-2).toISOString().slice(0, 10);
      await officer.fill('#received_on', received);
      await officer.setInputFiles('#file', { name: 'form-scan.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 scanned form') });
      await officer.fill('#name', 'Gwen Harris');
      await officer.fill('#address', '12 Cedar Court\nCardiff');
      await officer.fill('#postcode', 'CF10 3AB');
      await chooseRadio(officer, 'preferred_contact', 'letter');
      await chooseRadio(officer, 'format', 'braille');
      await officer.selectOption('#business_area', { label: 'Repairs and maintenance' });
      await officer.fill('#concerns', 'The lifts at Cedar Court break every week.');
      await officer.fill('#actions_taken', 'I complained three times by letter.');
      await officer.fill('#failures', 'No lift for nine days in May.');
      await officer.fill('#affected', 'Everyone above the ground floor.');
      await officer.fill('#resolution', 'A lift contract with response times.');
      await officer.fill('#signature', 'Gwen Harris');
      await officer.check('#declaration');
      await submit(officer, 'Log the request', 'paper request logged');
      let text = await mainText(officer);
      const reference = text.match(REFERENCE)[0];
      assert.match(text, /Request received on paper on/);
      assert.match(text, /Scan of the paper form \(form-scan\.pdf\)/);
      const requestPath = new URL(officer.url()).pathname;

      // Acknowledged: the letter waits to be put into Braille, in the letters queue too.
      await submit(officer, 'Record acknowledgement', 'acknowledged');
      await visit(officer, '/staff/letters?status=to-convert', 'letters to transcribe');
      text = await mainText(officer);
      assert.match(text, new RegExp(`${reference}[\\s\\S]*Braille`));
      await follow(officer, officer.getByRole('link', { name: `We have received your Community Call for Scrutiny ${reference}` }), 'acknowledgement to print');
      assert.match(await mainText(officer), /12 Cedar Court/);
      await submit(officer, 'Record as sent as asked today', 'acknowledgement sent in Braille');
      assert.equal(new URL(officer.url()).pathname, requestPath);

      // The route, then the team's decision: not yet. Each letter goes in Braille.
      await chooseRadio(officer, 'route', 'significant-failure');
      await submit(officer, 'Set route', 'route set');
      // The route letter, and the letter giving the meeting that will consider it.
      await allSentInBraille(officer, 'route and meeting letters sent');
      await chooseRadio(officer, 'outcome', 'not-yet');
      await officer.fill('#reasons', 'Please use the complaints procedure first.');
      await submit(officer, 'Record decision', 'decided');
      await submit(officer, 'Send the decision', 'decision written');
      assert.match(await mainText(officer), /must be sent as the requester asked: Braille/);
      // The letter carries a short code for someone who reads it on paper.
      const decisionLetter = officer.locator('a', { hasText: 'Open the letter to print or send for conversion' }).filter({ hasText: `decision on ${reference}` });
      await follow(officer, decisionLetter, 'decision letter');
      const code = (await mainText(officer)).match(/type the code ([A-Z0-9]{4} [A-Z0-9]{4})/)[1];
      await submit(officer, 'Record as sent as asked today', 'decision sent in Braille');
      assert.match(await mainText(officer), /Requester told of the decision on .* \(Braille by post\)/);

      // The resident (or someone reading the letter with them) types the code.
      await visit(resident, '/scrutiny/code', 'enter the code');
      await resident.fill('#code', code.toLowerCase());
      await submit(resident, 'Continue', 'request opened with the code');
      text = await mainText(resident);
      assert.match(text, /Your private link/);
      assert.match(text, /Not accepted yet/);

      // The appeal comes by post; the officer records it and the letter goes in Braille.
      await visit(officer, requestPath, 'request to record the appeal');
      await officer.fill('#grounds', 'I did complain, three times, and nothing changed.');
      await submit(officer, 'Record appeal', 'appeal recorded');
      await sentInBraille(officer, `We have received your appeal about ${reference}`, 'appeal acknowledgement sent');

      // The panel, from the registered Link Group, upholds it: the request is accepted.
      await signIn(panel, 'appeals@demo.redress.test');
      await visit(panel, requestPath, 'request under appeal');
      for (const name of ['Ann Parry', 'Ben Carter', 'Cai Morris', 'Dee Walsh']) await panel.getByLabel(name, { exact: true }).check();
      await submit(panel, 'Set panel', 'panel set');
      await panel.check('#upheld');
      await panel.fill('#reasons', 'Three complaints were made: the avenues were used.');
      await panel.check('#appeal_outcome-accepted');
      await submit(panel, "Record the panel's decision", 'panel decided');
      assert.match(await mainText(panel), /the decision is now: Accepted for scrutiny/);
      await visit(officer, requestPath, 'request after the panel');
      await submit(officer, "Send the panel's decision", 'panel decision written');
      await sentInBraille(officer, `The appeal panel's decision on ${reference}`, 'panel decision sent in Braille');
      text = await mainText(officer);
      assert.match(text, /Accepted for scrutiny/);
      assert.match(text, /Requester told of the panel's decision on .* \(Braille by post\)/);

      for (const page of [officer, panel, resident]) assertEveryPageChecked(page);
    } finally {
      for (const page of [officer, panel, resident]) await closePage(page);
    }
  });

  it('the Board and the Executive Management Team answer a final report', { timeout: TEST_TIMEOUT_MS }, async () => {
    const member = await openPage(browser);
    const board = await openPage(browser);
    const executive = await openPage(browser, { viewport: { width: 390, height: 844 } });
    try {
      // The team writes the report of the demo's exercise and sends it.
      await signIn(member, 'scrutiny@demo.redress.test');
      await visit(member, '/staff/scrutiny/programme', 'programme');
      await follow(member, member.getByRole('link', { name: 'Repairs and maintenance', exact: true }), 'exercise');
      const exercisePath = new URL(member.url()).pathname;
      await member.fill('#findings', 'Repairs take twice the published time.');
      await member.fill('#evidence', 'Forty repair files and twelve interviews.');
      await submit(member, 'Save findings', 'findings saved');
      await member.fill('#recommendation', 'Publish repair times every month.');
      await submit(member, 'Add recommendation', 'recommendation added');
      await member.fill('#manager', 'Cerys Jones');
      await member.fill('#head_of_service', 'Hywel Smith');
      await submit(member, 'Record report sent', 'report sent');

      // The Board finds it from its own menu and answers.
      await signIn(board, 'board@demo.redress.test');
      await follow(board, board.getByRole('link', { name: 'Scrutiny reports' }), 'scrutiny reports');
      await follow(board, board.getByRole('link', { name: 'Repairs and maintenance', exact: true }), 'exercise for the Board');
      await follow(board, board.getByRole('link', { name: 'Read the final report' }), 'final report');
      assert.match(await mainText(board), /Repairs take twice the published time/);
      await submit(board, 'Record the response', 'response refused');
      assert.match(await mainText(board), /There is a problem/);
      await board.fill('#board_response', 'The Board accepts the recommendation.');
      await submit(board, 'Record the response', 'Board responded');

      // The Executive Management Team on a phone.
      await signIn(executive, 'executive@demo.redress.test');
      await visit(executive, `${exercisePath}/final-report`, 'final report on a phone');
      await executive.fill('#board_response', 'The Head of Repairs will publish the times from April.');
      await submit(executive, 'Record the response', 'EMT responded');
      const text = await mainText(executive);
      assert.match(text, /The Board, .*[\s\S]*The Board accepts the recommendation[\s\S]*The Executive Management Team, /);
      const overflow = await executive.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the report is ${overflow} pixels wider than the phone`);

      for (const page of [member, board, executive]) assertEveryPageChecked(page);
    } finally {
      for (const page of [member, board, executive]) await closePage(page);
    }
  });
});
