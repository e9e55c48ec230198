// A small SMTP listener for the browser tests: it accepts every message and appends it,
// as one JSON line { from, to, data }, to the file named by MAIL_LOG. The tests read that
// file to see what the service emailed. Prints the port it listens on.

import { appendFileSync } from 'node:fs';
import { createServer } from 'node:net';

const log = process.env.MAIL_LOG;
if (!log) {
  console.error('set MAIL_LOG to the file to write messages to');
  process.exit(2);
}

const server = createServer((socket) => {
  socket.setEncoding('utf8');
  let buffer = '';
  let message = null;
  let envelope = { from: '', to: [] };
  const reply = (line) => socket.write(`${line}\r\n`);
  reply('220 e2e ESMTP');
  socket.on('data', (chunk) => {
    buffer += chunk;
    let at;
    while ((at = buffer.indexOf('\r\n')) >= 0) {
      const line = buffer.slice(0, at);
      buffer = buffer.slice(at + 2);
      if (message !== null) {
        if (line === '.') {
          appendFileSync(log, `${JSON.stringify({ ...envelope, data: message.join('\n') })}\n`);
          message = null;
          envelope = { from: '', to: [] };
          reply('250 queued');
        } else {
          message.push(line.startsWith('..') ? line.slice(1) : line);
        }
        continue;
      }
      const verb = line.slice(0, 4).toUpperCase();
      if (verb === 'EHLO' || verb === 'HELO') reply('250-e2e\r\n250 8BITMIME');
      else if (verb === 'MAIL') { envelope.from = line.slice(10).trim(); reply('250 ok'); }
      else if (verb === 'RCPT') { envelope.to.push(line.slice(8).trim()); reply('250 ok'); }
      else if (verb === 'DATA') { message = []; reply('354 go ahead'); }
      else if (verb === 'QUIT') { reply('221 bye'); socket.end(); }
      else reply('250 ok');
    }
  });
  socket.on('error', () => {});
});

server.listen(0, '127.0.0.1', () => {
  console.log(server.address().port);
});
