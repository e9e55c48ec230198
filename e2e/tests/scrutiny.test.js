// A Community Call for Scrutiny from the resident's form to the appeal panel's final
// decision: saved and resumed, sent, a petition signed to its threshold, decided at the
// next meeting, sent, appealed and decided. Every page visited is checked with axe-core.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  activate,
  assertEveryPageChecked,
  checkA11y,
  chooseRadio,
  closePage,
  emailMatching,
  launchBrowser,
  mainText,
  openPage,
  signIn,
  typeInto,
  visit,
  submit,
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

describe('community call for scrutiny', () => {
  it('request, petition, decision and appeal', { timeout: TEST_TIMEOUT_MS }, async () => {
    const resident = await openPage(browser, { viewport: { width: 390, height: 844 } });
    const officer = await openPage(browser);
    const member = await openPage(browser);
    const panel = await openPage(browser);
    try {
      // The resident finds the form from the start page and uses the keyboard.
      await visit(resident, '/', 'start page');
      await visit(resident, '/scrutiny', 'scrutiny start');
      await activate(resident, 'link', 'Start now');
      await checkA11y(resident, 'scrutiny form');
      await activate(resident, 'button', 'Send my request');
      await checkA11y(resident, 'scrutiny form with errors');
      assert.match(await mainText(resident), /There is a problem/);
      assert.match(await mainText(resident), /Enter your concerns/);

      await typeInto(resident, '#name', 'Ada Lovelace');
      await typeInto(resident, '#email', 'ada@example.org');
      await chooseRadio(resident, 'preferred_contact', 'email');
      await typeInto(resident, '#concerns', 'Communal repairs on our estate are left for months.');
      await activate(resident, 'button', 'Save and come back later');
      await checkA11y(resident, 'saved scrutiny form');
      assert.match(await mainText(resident), /Your form is saved/);
      const followUrl = resident.url().split('?')[0];

      await typeInto(resident, '#actions_taken', 'I complained twice and spoke to my housing officer.');
      await typeInto(resident, '#failures', 'The door entry has been broken since March.');
      await typeInto(resident, '#affected', 'Everyone in Oak House.');
      await typeInto(resident, '#resolution', 'Repairs done within the published times.');
      await typeInto(resident, '#signature', 'Ada Lovelace');
      await resident.focus('#declaration');
      await resident.keyboard.press('Space');
      await activate(resident, 'button', 'Send my request');
      await checkA11y(resident, 'request sent');
      const reference = (await mainText(resident)).match(REFERENCE)[0];

      // An officer acknowledges it and asks for a petition of two from CF10.
      await signIn(officer, 'officer@demo.redress.test');
      await visit(officer, '/staff/scrutiny', 'scrutiny requests');
      await Promise.all([officer.waitForNavigation({ waitUntil: 'load' }), officer.getByRole('link', { name: reference, exact: true }).click()]);
      await checkA11y(officer, 'scrutiny request');
      await submit(officer, 'Record acknowledgement', 'request acknowledged');
      await officer.check('#route');
      await officer.fill('#threshold', '2');
      await officer.fill('#eligible', 'CF10');
      await submit(officer, 'Set route', 'petition route set');
      assert.match(await mainText(officer), /0 of 2 needed/);

      // Two residents sign; the request goes onto the next meeting's agenda.
      for (const [name, postcode] of [['Bethan Morgan', 'CF10 1AA'], ['Carys Price', 'CF10 2BB']]) {
        await visit(resident, `/scrutiny/petition/${reference}`, 'petition');
        await resident.fill('#name', name);
        await resident.fill('#postcode', postcode);
        await resident.check('#declaration');
        await submit(resident, 'Sign', 'petition signed');
        assert.match(await mainText(resident), /your signature has been counted/);
      }

      // On paper: the petition sheet and the blank request form print with where to send them.
      await visit(resident, `/scrutiny/petition/${reference}/sheet`, 'paper petition sheet');
      assert.match(await mainText(resident), /Customer Empowerment Manager/);
      await visit(resident, '/scrutiny/form/print', 'paper request form');
      assert.match(await mainText(resident), /What are your concerns\?/);

      // The scrutiny team member reads the papers at the meeting and decides.
      await signIn(member, 'scrutiny@demo.redress.test');
      // An accepted request scores for its business area, so the team records it first.
      await visit(member, new URL(officer.url()).pathname, 'request for the team');
      await member.selectOption('#area', { label: 'Repairs and maintenance' });
      await submit(member, 'Save business area', 'business area recorded');
      assert.equal(await member.locator('#area option:checked').innerText(), 'Repairs and maintenance', 'the menu shows the area recorded');
      await visit(member, '/staff/scrutiny', 'scrutiny requests and meetings');
      const agendaLink = member.getByRole('link', { name: /at 18:30/ }).first();
      await Promise.all([member.waitForNavigation({ waitUntil: 'load' }), agendaLink.click()]);
      await checkA11y(member, 'meeting agenda and papers');
      assert.match(await mainText(member), new RegExp(reference));
      assert.match(await mainText(member), /The requester's complaints on record/);
      const decision = member.locator('form', { has: member.getByRole('button', { name: `Record decision on ${reference}`, exact: true }) });
      await decision.locator('input[name="outcome"][value="accepted"]').check();
      await decision.locator('textarea[name="reasons"]').fill('Persistent failure across the estate.');
      await submit(member, `Record decision on ${reference}`, 'agenda after the decision');
      await visit(member, '/staff/scrutiny/matrix', 'scoring matrix');
      assert.match(await mainText(member), /Accepted calls/);
      // Nothing is cut off: a wide matrix scrolls in its own box, never the page.
      const overflow = await member.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the page is ${overflow} pixels wider than the window`);
      await visit(member, '/staff/scrutiny/programme', 'annual programme');
      await Promise.all([member.waitForNavigation({ waitUntil: 'load' }), member.getByRole('link', { name: 'Repairs and maintenance', exact: true }).click()]);
      await checkA11y(member, 'scrutiny exercise');
      assert.match(await mainText(member), /Stages/);

      // The officer sends the decision; the resident reads it and appeals.
      await visit(officer, new URL(officer.url()).pathname, 'request decided');
      await submit(officer, 'Send the decision', 'decision sent');
      // The decision email carries the requester's own link, which replaces the first one.
      const mail = await emailMatching([/ada@example\.org/, /considered your Community Call/]);
      const text = mail.data
        .replace(/=\r?\n/g, '')
        .replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
      const newLink = text.match(/\/scrutiny\/r\/[0-9a-f]+/)[0];
      assert.notEqual(newLink, new URL(followUrl).pathname);
      await visit(resident, newLink, 'request as the resident follows it');
      assert.match(await mainText(resident), /Accepted for scrutiny/);
      await resident.fill('#grounds', 'I want the lifts included in the scrutiny too.');
      await submit(resident, 'Send appeal', 'appeal sent');
      assert.match(await mainText(resident), /Appeal received/);

      // The appeal panel sits and decides; the officer sends the final decision.
      await signIn(panel, 'appeals@demo.redress.test');
      await visit(panel, new URL(officer.url()).pathname, 'request under appeal');
      // The panel is chosen from the registered Link Group members: four, from the list.
      for (const name of ['Ann Parry', 'Ben Carter', 'Cai Morris']) await panel.getByLabel(name, { exact: true }).check();
      await submit(panel, 'Set panel', 'panel refused');
      assert.match(await mainText(panel), /4 to 6 Link Group members \(you entered 3\)/);
      for (const name of ['Ann Parry', 'Ben Carter', 'Cai Morris', 'Dee Walsh']) await panel.getByLabel(name, { exact: true }).check();
      await submit(panel, 'Set panel', 'panel set');
      // Upheld: the panel's decision takes the place of the team's.
      await panel.check('#upheld');
      await panel.fill('#reasons', 'The broken lifts leave disabled residents trapped: that needs action now.');
      await submit(panel, "Record the panel's decision", 'upheld without a new decision');
      assert.match(await mainText(panel), /Select the decision|select the decision the panel puts in its place/i);
      await panel.check('#appeal_outcome-serious-failure');
      await panel.fill('#appeal_recommendations', 'Repair both lifts at Oak House within 10 working days.');
      await submit(panel, "Record the panel's decision", 'panel decided');
      assert.match(await mainText(panel), /Serious failure: immediate recommendations/);
      await visit(officer, new URL(officer.url()).pathname, 'request after the panel');
      await submit(officer, "Send the panel's decision", 'panel decision sent');
      await visit(resident, newLink, 'request closed');
      assert.match(await mainText(resident), /upheld your appeal/);

      for (const page of [resident, officer, member, panel]) assertEveryPageChecked(page);
    } finally {
      for (const page of [resident, officer, member, panel]) await closePage(page);
    }
  });
});
