/**
 * The hard labelled corpus: written from real-world formats and known hard cases before the
 * detectors were read, to measure them honestly (corpus.test.ts). Every labelled value is the
 * exact text of one piece of PII or one secret and names the detector that should catch it;
 * everything else on the line is a negative. All values are synthetic: test card numbers,
 * published example IBANs, documentation IP ranges (RFC 5737 / RFC 3849), fictional phone ranges
 * (555-01xx, Ofcom drama numbers, ARCEP 01 99 00), `example.*` domains and random secrets.
 *
 * Labelling rules:
 * - A value is labelled with the most specific detector: a JWT or a vendor key after `Bearer`
 *   is `jwt` / `api_key`, with `bearer` accepted too (`alt`); an IPv4-mapped IPv6 address is
 *   `ipv6`, with `ipv4` accepted for its IPv4 part.
 * - Phone numbers are labelled without their extension; a match that overlaps the label counts.
 * - Obfuscated e-mail (`jane dot doe at example dot com`), `Basic` credentials and passwords in
 *   URLs are personal data or secrets that no detector claims: they are labelled `scored: false`
 *   and reported apart, neither credited nor counted as false positives.
 * - Look-alikes are negatives: versions (`version 1.2.3.4`), OIDs, dates, clock times, order ids,
 *   ISBNs, IMEIs (Luhn-valid), Datadog trace ids, placeholders (`YOUR_API_KEY`), public keys,
 *   publishable keys, ids of vendor objects (`msg_…`, `pi_…`), hashes, UUIDs and base64 blobs.
 */
import type { DetectorId } from './detectors.ts';

/** One labelled value inside a line. */
export interface LabelledSpan {
  /** The detector that should catch it. */
  detector: DetectorId;
  /** Its exact text; a repeated value is labelled once per occurrence, in order. */
  value: string;
  /** Other detectors whose catch counts too. */
  alt: readonly DetectorId[];
  /** False for sensitive values outside every detector's scope: reported, not scored. */
  scored: boolean;
}

/** One labelled line. */
export interface HardCorpusLine {
  text: string;
  /** The labelled values, in the order they occur in `text`. */
  spans: readonly LabelledSpan[];
}

const span =
  (detector: DetectorId) =>
  (value: string, ...alt: DetectorId[]): LabelledSpan => ({ detector, value, alt, scored: true });
const email = span('email');
const phone = span('phone');
const card = span('card');
const iban = span('iban');
const ssn = span('ssn');
const cnId = span('cn_id');
const ipv4 = span('ipv4');
const ipv6 = span('ipv6');
const apiKey = span('api_key');
const bearer = span('bearer');
const jwt = span('jwt');
const privateKey = span('private_key');
/** A sensitive value no detector claims (see the labelling rules). */
const unscored = (detector: DetectorId, value: string): LabelledSpan => ({
  detector,
  value,
  alt: [],
  scored: false,
});
const l = (text: string, ...spans: LabelledSpan[]): HardCorpusLine => ({ text, spans });

// Synthetic secrets in each vendor's published shape (random bodies).
const OPENAI_LEGACY = 'sk-fWd3hjOkYRBMeyyMDHqJ38aRUhR4IWrXPvhsBkDa9U4UqGWl';
const OPENAI_PROJECT =
  'sk-proj-nMztVuaP_coUNEhEkk_iqq8vH2BzNZV45pFCiRcDT3BlbkFJCajhDieQjEJ_Bq8F80ymm3T207gmhZRnFyy5r2xJ';
const OPENAI_SERVICE = 'sk-svcacct-7Fj4mgblEv0_9BZhvWaXH6K2_tyLBhhOhg9uhkxiiEZpFfk1OHAOEHYqM6Oj';
const OPENAI_ADMIN = 'sk-admin-b6mjBHqSiFVKu4MbMnrHontIKARAH_Ggl2JfaQqHu42bojteVs3qfNUfTAFnT0tE';
const ANTHROPIC =
  'sk-ant-api03-uw0dwQ0FIunWe8Cz6SNDCdyZQJiJSZQdoHwHen3SO3oXyGf3azU3iQOpMN0PZLqy1WwMZaMKA3P744B8vkKQlENCzsdfFAA';
const ANTHROPIC_ADMIN =
  'sk-ant-admin01-8j61yX-ZFsan2Cw7gFp6r7O425u85HFJ_EJ4jKEIQOkrtDXtBi10Q71hA1XcW9aTMX1C_CI3_dXRZv7qdYdk2r7xgHWPBAA';
const AWS_TEMP_KEY_ID = 'ASIA5UVYR2QF6BDWOECB';
const AWS_KEY_ID = 'AKIAPMBJPI6HN5QXKHKT';
const AWS_SECRET = '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';
const GITHUB_CLASSIC = 'ghp_vbF2ulFnwZqvr4MS4rJaH8mfpUAFJWpSEPTF';
const GITHUB_OAUTH = 'gho_CYbfsozSptQLxEJHwBVJvwSDrtqohUmuhVI8';
const GITHUB_APP = 'ghs_WSlmnVErULWHMsg1msoxltaTIircdJsS8iO3';
const GITHUB_FINE =
  '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';
const SLACK_BOT = 'xoxb-20539984290-5108941030733-7qYYOLQZ7mBhIoPj6r0jedkY';
const SLACK_USER = 'xoxp-92925561283-71369115197-9242576335907-9c8fe21da80270815fe85df2fbdaa35a';
const SLACK_APP =
  'xapp-1-A005SZ9C3FU-6687620744706-3c0ed16bfe16849ef307590d273e34f98dff7e4c6428da8099f4efbacea67c7d';
const SLACK_WEBHOOK = 'https://hooks.slack.com/services/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';
const GOOGLE = 'AIzafO8WXt-eqQm4m6bs0tj8HRYkQWO_eiEKDl3';
const GOOGLE_CLIENT_SECRET = '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';
const GOOGLE_ACCESS =
  'ya29.a0Gb7Kuj4SM2G6MzX9nEWTLLcYJbg-KDTCyGrmfN4eUqlLP1wzqUIvG9LRo7jsCYUlYbHp6VHWVnD8dPCi7M0orfeM-omErX6V1t1m_0JeVB44EUmVThYJyp6l';
const STRIPE_LIVE =
  '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';
const STRIPE_RESTRICTED =
  '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';
const STRIPE_TEST = 'sk_test_4eC39HqLyjWDarjtT1zdp7dc';
const STRIPE_WEBHOOK = 'whsec_KGnjQEo2gw2JxhWrKoZB2JX0NNRPJbM7';
const STRIPE_PUBLISHABLE =
  'pk_live_51Q1SrblrSWt6vwal3jKQzejVObfVHnyADvkxtUuX8KMf4djkWNdRfrCQBFMCArnWGhwBhsRRLFHQtcozMdant8nXiWqsuhaFVB';
const SENDGRID = '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';
const HUGGING_FACE = 'hf_yDLJ9YV5cC6ZKPmuMEGj9dCgZ51vTfGPlc';
const NPM = 'npm_pTCCHHNkxx6syAXvRMdYOPvevgJRysqU2Q96';
const GITLAB = 'glpat-tQksSNYqkNWQql2UcUNx';
const GENERIC_HEX = '54c7b2c1d0e2adcd93c0a5eb2d37dc2c';
const GENERIC_B64 = '3tVvovXkeGOhHGm5XwwU90P0jpgjqmlMjWWPel8X';
const GENERIC_HEX64 = '7de23f0749d0b7d52b20cf1cb80b2b73a41ba5ef542e196161a9cf8169b1a83b';
const OPAQUE_TOKEN = 'BR-yCrtjLm_eRqWtuxv4f0UE4K5DEN8yV47KW_1u';

const JWT_HS =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyXzg4MzEiLCJuYW1lIjoiQW5hIExpbWEiLCJpYXQiOjE3MTgwMzUyMDB9.oxwGvUY-OSO8Gq295IsWl2wIBxc3O4GaBo8yt6azi2s';
const JWT_RS =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6IjIwMjQtMDYiLCJ0eXAiOiJKV1QifQ.eyJpc3MiOiJodHRwczovL2F1dGguZXhhbXBsZS5jb20vIiwiYXVkIjoiYXJndXMiLCJleHAiOjE3NjcyMjU2MDAsImVtYWlsIjoiYW5hLmxpbWFAZXhhbXBsZS5jb20ifQ.OHKWR8_eAcLOKLJsV0cnN_XDVhoXYRhb2FiaQ84LunWJH_nsYBSNS9SgnuLcXJMxtBELqTrFSvwU2jvdGWFHdA';
const JWT_ES =
  'eyJ0eXAiOiJKV1QiLCJhbGciOiJFUzI1NiJ9.eyJzdWIiOiI0MiIsInNjb3BlIjoicmVhZDp0cmFjZXMifQ.otVdKV5aNatEs--upRKboiuIuj4pdmFF_eyjsI44r1PXxMYOOtIIzlBmRBA26fGR4LdQNqd_ZeLqpHUkQyM_vg';
/** An unsecured JWT (`alg: none`): empty signature, still a session credential. */
const JWT_NONE = 'eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJhZG1pbiIsInJvbGUiOiJvd25lciJ9.';

const PEM_BODY =
  'QYtn08MgWvCxeewOIb3dt5nHvyab8GgfGB4kSyz9LWgl7DXhj1HFf8w72EEe29Jc\nL60SgEkCldUMVjdgZlbSz2ZiatBeiBcu4QnsX7jbZsVxOk/apzmnuE8b37C4UDfD';
const PEM_PKCS8 = `-----BEGIN PRIVATE KEY-----\n${PEM_BODY}\n-----END PRIVATE KEY-----`;
const PEM_EC = `-----BEGIN EC PRIVATE KEY-----\nz7astj9iS3DA9RThcGv26EERgEvor99SyXqIIO7lQW7hSmj3qNOcKEhhra2a3Pye\n-----END EC PRIVATE KEY-----`;
const PEM_ENCRYPTED = `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${PEM_BODY}\n-----END ENCRYPTED PRIVATE KEY-----`;
const PEM_OPENSSH = `-----BEGIN OPENSSH PRIVATE KEY-----\nqrZwMWFW4zJYAapasUv22THkqqoryqNCqGq+wN20O2jc3FioZgAcgIgzAIVP86z6\n-----END OPENSSH PRIVATE KEY-----`;
const PGP_PRIVATE = `-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBGZ${PEM_BODY}\n=Xb1K\n-----END PGP PRIVATE KEY BLOCK-----`;
const PEM_CRLF = `-----BEGIN RSA PRIVATE KEY-----\r\nv/0qgsjOce40Q7/ZvWp3j4egnsSh1MObxEkzvQX/Gs5OE5QI9g5qTF74jqDytZaT\r\n-----END RSA PRIVATE KEY-----`;
/** A key inside a JSON string, as service-account files are logged: `\n` escapes, not newlines. */
const PEM_ESCAPED = `-----BEGIN PRIVATE KEY-----\\nSzHBGf3dy2VmyixDdVQg4CHmct7ZsbNja4/0ty1cQDVGdpLY47NhL9Pp7/96kuSg\\n-----END PRIVATE KEY-----`;
/** A key cut off by a log line limit: the material leaks without an END line. */
const PEM_TRUNCATED = `-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAv/0qgsjOce40Q7/ZvWp3j4egnsSh1MObxEkzvQX/Gs5OE5QI`;

/** The hard corpus. */
export const HARD_CORPUS: readonly HardCorpusLine[] = [
  // --- e-mail: real-world shapes
  l('Please cc anna.k+newsletter@example.com on the thread', email('anna.k+newsletter@example.com')),
  l('Alerts go to oncall@eu.ops.example.com every night', email('oncall@eu.ops.example.com')),
  l('From: "Smith, Jane" <jane.smith@example.co.uk>', email('jane.smith@example.co.uk')),
  l('Write to JOHN.SMITH@EXAMPLE.COM for a refund', email('JOHN.SMITH@EXAMPLE.COM')),
  l('Contact me at sam@example.io.', email('sam@example.io')),
  l("Send it to o'brien@example.ie before noon", email("o'brien@example.ie")),
  l('first_last-99@mail-server.example.com bounced', email('first_last-99@mail-server.example.com')),
  l('{"user":{"email":"a.b@example.com","plan":"pro"}}', email('a.b@example.com')),
  l('Quoted local parts are legal: "john doe"@example.com', email('"john doe"@example.com')),
  l('Kontakt: jürgen.müller@bücher.example', email('jürgen.müller@bücher.example')),
  l('メール: 山田@例え.テスト までご連絡ください', email('山田@例え.テスト')),
  l('Punycode domain: contact@xn--bcher-kva.example', email('contact@xn--bcher-kva.example')),
  l('Пишите на маша@пример.испытание', email('маша@пример.испытание')),
  l('<a href="mailto:sales@example.org?subject=Quote">Sales</a>', email('sales@example.org')),
  l('[Email me](mailto:li.na@example.net)', email('li.na@example.net')),
  l('[li.na@example.net](mailto:li.na@example.net)', email('li.na@example.net'), email('li.na@example.net')),
  l(
    'GET https://app.example.com/users/maria.silva@example.com/settings 200',
    email('maria.silva@example.com'),
  ),
  l('GET /api/users?email=maria.silva%40example.com 404', email('maria.silva%40example.com')),
  l('Email:bob@example.com;Phone:n/a', email('bob@example.com')),
  l(
    'id,name,email\n17,Ana,ana@example.com.br\n18,Rui,rui@example.pt',
    email('ana@example.com.br'),
    email('rui@example.pt'),
  ),
  l('请联系wang.fang@example.cn获取发票', email('wang.fang@example.cn')),
  l(
    'postfix/smtp[4711]: to=<bounce-4711@lists.example.org>, relay=mx.example.org',
    email('bounce-4711@lists.example.org'),
  ),
  l(
    'Author: Jane Doe <1234567+janedoe@users.noreply.github.com>',
    email('1234567+janedoe@users.noreply.github.com'),
  ),
  l(
    'hello@example.museum and ops@example.technology are aliases',
    email('hello@example.museum'),
    email('ops@example.technology'),
  ),
  l('j@x.io', email('j@x.io')),
  l('The user (mail: k.tanaka@example.jp) asked for a callback', email('k.tanaka@example.jp')),
  l(
    'emails: a@example.com,b@example.com;c@example.com',
    email('a@example.com'),
    email('b@example.com'),
    email('c@example.com'),
  ),
  l('Reply-To: noreply+ticket-88213@support.example.com', email('noreply+ticket-88213@support.example.com')),
  // e-mail: out of scope (obfuscated, decided: not an e-mail detector's job, reported apart)
  l('Contact me at jane dot doe at example dot com', unscored('email', 'jane dot doe at example dot com')),
  l('mail: jane[at]example[dot]com', unscored('email', 'jane[at]example[dot]com')),
  l('write to jdoe (at) example (dot) org', unscored('email', 'jdoe (at) example (dot) org')),
  // e-mail look-alikes
  l('Ship the retina assets icon@2x.png and logo@3x.webp'),
  l('npm i @scope/pkg@1.4.2 lodash@4.17.21'),
  l('root@web-01:~# systemctl restart nginx'),
  l('ssh deploy@app.example.com "uptime"'),
  l('git remote add origin git@gitlab.example.com:team/app.git'),
  l(
    'docker pull registry.example.com/app@sha256:a1fce4363854ff888cff4b8e7875d600c2682390412a8cf79b37d0b11148b0fa',
  ),
  l('@dataclass\nclass User:\n    email: str'),
  l('@media (max-width: 600px) { .nav { display: none } }'),
  l('Send mail to admin@localhost when the job fails'),
  l('const re = /^[^@]+@[^@]+\\.[a-z]{2,}$/;'),
  l('Ping @maria.silva in #support'),
  l('saved checkpoint model@epoch3.pt (val loss 0.41)'),
  l('3 @ $4.99 each'),
  l('Use the format <name>@<domain> for aliases'),
  // --- phone: E.164 and national formats
  l('Call me at +1 415 555 0132 after 5pm', phone('+1 415 555 0132')),
  l('Office: (415) 555-0132', phone('(415) 555-0132')),
  l('cell 415-555-0132, home 415.555.0176', phone('415-555-0132'), phone('415.555.0176')),
  l('Toll free 1-800-555-0199', phone('1-800-555-0199')),
  l('Reach me at +1-212-555-0147 ext. 204', phone('+1-212-555-0147')),
  l('Desk: (212) 555-0147 x12', phone('(212) 555-0147')),
  l('call me at 4155550132 tomorrow', phone('4155550132')),
  l('{"phone":"+14155550132"}', phone('+14155550132')),
  l('London office +44 20 7946 0018', phone('+44 20 7946 0018')),
  l('Ring 020 7946 0018 or (020) 7946 0019', phone('020 7946 0018'), phone('(020) 7946 0019')),
  l('Mobile 07700 900123, intl +44 7700 900123', phone('07700 900123'), phone('+44 7700 900123')),
  l('Manchester: 0161 496 0000', phone('0161 496 0000')),
  l('whatsapp:+447700900123', phone('+447700900123')),
  l('Berlin +49 30 901820', phone('+49 30 901820')),
  l('Rufen Sie 030 12345678 an', phone('030 12345678')),
  l('Tel.: +49 (0)30 12345678', phone('+49 (0)30 12345678')),
  l('Handy 0151 23456789', phone('0151 23456789')),
  l('München 089/1234567', phone('089/1234567')),
  l('Zentrale +49 89 1234567-0', phone('+49 89 1234567')),
  l('+4915123456789 per SMS', phone('+4915123456789')),
  l('Appelez le 01 99 00 12 34', phone('01 99 00 12 34')),
  l('Standard : +33 1 99 00 12 34', phone('+33 1 99 00 12 34')),
  l('Portable 06.12.34.56.78', phone('06.12.34.56.78')),
  l('Tél. +33 (0)6 12 34 56 78', phone('+33 (0)6 12 34 56 78')),
  l('sms:+33612345678', phone('+33612345678')),
  l('mon numéro est 0612345678', phone('0612345678')),
  l('Call +91 98765 43210 for delivery', phone('+91 98765 43210')),
  l('Mobile: +91-98765-43210', phone('+91-98765-43210')),
  l('Mumbai office 022 2345 6789', phone('022 2345 6789')),
  l('Customer phone 098765 43210', phone('098765 43210')),
  l('手机 +86 138 0013 8000', phone('+86 138 0013 8000')),
  l('电话 138-0013-8000', phone('138-0013-8000')),
  l('请拨打13800138000联系客服', phone('13800138000')),
  l('北京办公室 010-12345678', phone('010-12345678')),
  l('Beijing +86 10 1234 5678', phone('+86 10 1234 5678')),
  l('電話 03-1234-5678 まで', phone('03-1234-5678')),
  l('携帯 090-1234-5678', phone('090-1234-5678')),
  l('Tokyo +81 3 1234 5678, mobile +81 90-1234-5678', phone('+81 3 1234 5678'), phone('+81 90-1234-5678')),
  l('フリーダイヤル 0120-123-456', phone('0120-123-456')),
  l('Ligue para (11) 91234-5678', phone('(11) 91234-5678')),
  l('WhatsApp +55 11 91234-5678', phone('+55 11 91234-5678')),
  l('Rio: +55 (21) 2345-6789', phone('+55 (21) 2345-6789')),
  l('celular 11 91234-5678', phone('11 91234-5678')),
  l('Sydney +61 2 5550 1234', phone('+61 2 5550 1234')),
  l('Moscow +7 495 123-45-67', phone('+7 495 123-45-67')),
  l('Madrid +34 912 345 678', phone('+34 912 345 678')),
  l('Roma +39 06 1234 5678', phone('+39 06 1234 5678')),
  // phone look-alikes
  l('Released on 2024-06-10, patched 10/06/2024 and 06.10.2024'),
  l('Build 20240610 finished at 12:34:56'),
  l('Upgrade to v12.4.0 or 1.2.3.4567'),
  l('Order ORD-2024-0613-5521 and order #100234567 shipped'),
  l('Invoice INV-000123456 is overdue'),
  l('ISBN 978-0-306-40615-7 and ISBN 0-306-40615-2'),
  l('Eiffel tower at 48.8584, 2.2945; Sydney -33.8688, 151.2093'),
  l('Coordinates +40.7128, -74.0060'),
  l('Total $1,234,567.89 vs € 12.345,67 vs 1 234 567 €'),
  l('Budget ₹ 12,34,567 approved'),
  l('created_at=1718035200 took 123456789 ns'),
  l('HTTP/1.1 200 OK in 0.0123 s'),
  l('NodePort range 30000-32767'),
  l('Ship to ZIP 94103-1234'),
  l('UPS 1Z 999 AA1 01 2345 6784'),
  l('Version 2024.06.10.1234 deployed'),
  l('Device IMEI 490154203237518'),
  l('model gpt-4o-2024-08-06 answered'),
  l('tokens: 128000 in, 4096 out, 131072 max'),
  l('Resolution 1920x1080 at 144 Hz'),
  l('pi = 3.14159265358979'),
  l('serial SN-4820-1193-77'),
  l('Company no. 01234567 registered in 2019'),
  l('Aspect ratio 16:9 and John 3:16'),
  l('Timestamp 2024-06-10T12:34:56+02:00'),
  l('Temperature +21.5 °C, pressure 1013 hPa'),
  l('Sort [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]'),
  l('Page 12 of 345, paragraph 6789'),
  l('Chapter 10 06 2024 notes'),
  l('the range 100-200-300 is arithmetic'),
  // --- payment cards
  l('Card: 4111 1111 1111 1111 exp 09/28', card('4111 1111 1111 1111')),
  l('pan=4012888888881881&exp=1228', card('4012888888881881')),
  l('Old 13-digit Visa 4222222222222 still works', card('4222222222222')),
  l('Karte 4000-0566-5566-5556', card('4000-0566-5566-5556')),
  l('Amex 3782 822463 10005 on file', card('3782 822463 10005')),
  l('amex=371449635398431', card('371449635398431')),
  l('Corporate Amex 378734493671000', card('378734493671000')),
  l('Discover 6011 0009 9013 9424', card('6011 0009 9013 9424')),
  l('discover:6011981111111113', card('6011981111111113')),
  l('Diners 3622 720627 1667', card('3622 720627 1667')),
  l('Diners 16-digit 3056930009020004', card('3056930009020004')),
  l('JCB 3566 0020 2036 0505', card('3566 0020 2036 0505')),
  l('银联卡 6200000000000005', card('6200000000000005')),
  l('UnionPay 6205 5000 0000 0000 004', card('6205 5000 0000 0000 004')),
  l('Maestro 6759649826438453', card('6759649826438453')),
  l('Laser 6304000000000000', card('6304000000000000')),
  l('MC 5555 5555 5555 4444', card('5555 5555 5555 4444')),
  l('2-series 2222 4200 0000 1113', card('2222 4200 0000 1113')),
  l('card_number: 5425233430109903', card('5425233430109903')),
  l('5200 8282 8282 8210 (debit)', card('5200 8282 8282 8210')),
  l('Visa 19 digits 4917610000000000003', card('4917610000000000003')),
  l('3DS test 4000 0025 0000 3155', card('4000 0025 0000 3155')),
  l('/pay?cc=4571000000000001&exp=1228', card('4571000000000001')),
  l('{"number":"4000000760000002","cvc":"314"}', card('4000000760000002')),
  l('| 5105 1051 0510 5100 | Mastercard |', card('5105 1051 0510 5100')),
  l('cc:4111111111111111', card('4111111111111111')),
  l('Charged 6011111111111117.', card('6011111111111117')),
  l('Two cards: 4242424242424242, 5555555555554444', card('4242424242424242'), card('5555555555554444')),
  // card look-alikes
  l('Reference 4111 1111 1111 1112 was rejected'),
  l('order_id=5412345678901235'),
  l('Number 3714496353984312 fails the checksum'),
  l('dd.trace_id=4641603982383516983 dd.span_id=5578615535636952543'),
  l('event_time_ns=1718035276680211233'),
  l('tweet id 1541815603606036480'),
  l('EAN 4006381333931 scanned'),
  l('IMEI 356938035643809 registered'),
  l('Card ending in 1111, shown as 4111 **** **** 1111'),
  l('Masked 411111******1111'),
  l('USPS 9400111899223100012345'),
  l('epoch_ms=1718035200123'),
  l('Batch 2024061015300012 imported'),
  // --- IBAN
  l('Überweisung an DE89 3704 0044 0532 0130 00', iban('DE89 3704 0044 0532 0130 00')),
  l('iban=GB29NWBK60161331926819', iban('GB29NWBK60161331926819')),
  l('Account: GB29 NWBK 6016 1331 9268 19', iban('GB29 NWBK 6016 1331 9268 19')),
  l('RIB FR14 2004 1010 0505 0001 3M02 606', iban('FR14 2004 1010 0505 0001 3M02 606')),
  l('{"iban":"ES9121000418450200051332"}', iban('ES9121000418450200051332')),
  l('IBAN IT60 X054 2811 1010 0000 0123 456', iban('IT60 X054 2811 1010 0000 0123 456')),
  l('NL91ABNA0417164300', iban('NL91ABNA0417164300')),
  l(
    'BE68 5390 0754 7034 en CH93 0076 2011 6238 5295 7',
    iban('BE68 5390 0754 7034'),
    iban('CH93 0076 2011 6238 5295 7'),
  ),
  l('AT61 1904 3002 3457 3201 (Wien)', iban('AT61 1904 3002 3457 3201')),
  l('PL61109010140000071219812874', iban('PL61109010140000071219812874')),
  l('Konto SE45 5000 0000 0583 9825 7466', iban('SE45 5000 0000 0583 9825 7466')),
  l('Norwegian NO9386011117947', iban('NO9386011117947')),
  l(
    'DK5000400440116243 and FI21 1234 5600 0007 85',
    iban('DK5000400440116243'),
    iban('FI21 1234 5600 0007 85'),
  ),
  l('IE29 AIBK 9311 5212 3456 78', iban('IE29 AIBK 9311 5212 3456 78')),
  l('PT50000201231234567890154', iban('PT50000201231234567890154')),
  l('LU28 0019 4006 4475 0000', iban('LU28 0019 4006 4475 0000')),
  l('Malta MT84MALT011000012345MTLCAST001S', iban('MT84MALT011000012345MTLCAST001S')),
  l('Brasil BR9700360305000010009795493P1', iban('BR9700360305000010009795493P1')),
  l('Saudi SA0380000000608010167519', iban('SA0380000000608010167519')),
  l('lowercase de89370400440532013000 from a form', iban('de89370400440532013000')),
  l('IBAN:DE89370400440532013000', iban('DE89370400440532013000')),
  l('Pay to CH9300762011623852957.', iban('CH9300762011623852957')),
  // IBAN look-alikes
  l('DE88370400440532013000 failed the checksum'),
  l('GB28 NWBK 6016 1331 9268 19 is wrong'),
  l('NL91ABNA0417164301 and FR1420041010050500013M02607 bounced'),
  l('VAT ID DE123456789'),
  l('BIC DEUTDEFFXXX, SWIFT NWBKGB2L'),
  l('XX00 1234 5678 9012 3456 is a placeholder'),
  l('SKU AB12CD34EF56GH78'),
  // --- US SSN
  l('SSN: 536-22-1498', ssn('536-22-1498')),
  l('ssn=287-65-4301&dob=1984-03-02', ssn('287-65-4301')),
  l('{"ssn":"401-32-7781"}', ssn('401-32-7781')),
  l('Social Security Number 219-47-3321 on file', ssn('219-47-3321')),
  l('SSN 536 22 1498 (spaces)', ssn('536 22 1498')),
  l('SSN#: 536221498', ssn('536221498')),
  l('SS# 650-18-2231', ssn('650-18-2231')),
  l('Tax ID (SSN) 143-58-9920', ssn('143-58-9920')),
  l('SSN: 008-41-2290', ssn('008-41-2290')),
  l('social security no. 772-14-5590', ssn('772-14-5590')),
  // SSN look-alikes
  l('Invalid areas 000-12-3456 and 666-45-1234'),
  l('ITIN 912-73-4567'),
  l('Advertising range 987-65-4321'),
  l('Group 00: 536-00-1498, serial 0000: 536-22-0000'),
  l('Woolworth sample 078-05-1120'),
  l('Placeholder SSN 123-45-6789'),
  l('Part number 404-13-2250 discontinued'),
  l('Call 555-123-4567'),
  l('last four of SSN: 1498'),
  // --- Chinese resident identity number
  l('身份证号：110101199003071233', cnId('110101199003071233')),
  l('passenger id 310115198512124568', cnId('310115198512124568')),
  l('{"id_card":"440305197806309878"}', cnId('440305197806309878')),
  l('born on a leap day: 510104200002293212', cnId('510104200002293212')),
  l('证件号码 11010119870315107X', cnId('11010119870315107X')),
  l('ID 31010419921215121X verified', cnId('31010419921215121X')),
  l('lower-case check 44010620010515114x', cnId('44010620010515114x')),
  l('身份证 440305 19780630 9878', cnId('440305 19780630 9878')),
  l('乘客：50010319771115233X，座位 12A', cnId('50010319771115233X')),
  // Chinese id look-alikes
  l('Invalid id 110101199003071234 (bad check)'),
  l('Invalid id 310115198512124569 too'),
  l('Month 13: 440305199013011237'),
  l('订单号 202406101530001234'),
  l('Discord id 175928847299117063'),
  // --- IPv4 / IPv6
  l('client_ip=198.51.100.23', ipv4('198.51.100.23')),
  l('GET / from 203.0.113.9:51234', ipv4('203.0.113.9')),
  l('X-Forwarded-For: 203.0.113.195, 198.51.100.1', ipv4('203.0.113.195'), ipv4('198.51.100.1')),
  l('allow 192.0.2.0/24; allow 10.0.0.0/8;', ipv4('192.0.2.0'), ipv4('10.0.0.0')),
  l('ssh admin@192.0.2.10', ipv4('192.0.2.10')),
  l('curl http://192.0.2.44:8080/health', ipv4('192.0.2.44')),
  l('nameserver 192.0.2.53', ipv4('192.0.2.53')),
  l('Blocked 203.0.113.50.', ipv4('203.0.113.50')),
  l('bind 127.0.0.1 and 172.16.4.20', ipv4('127.0.0.1'), ipv4('172.16.4.20')),
  l('IPv6 2001:db8::1 answered', ipv6('2001:db8::1')),
  l('full 2001:0db8:85a3:0000:0000:8a2e:0370:7334', ipv6('2001:0db8:85a3:0000:0000:8a2e:0370:7334')),
  l('https://[2001:db8::42]:443/v1', ipv6('2001:db8::42')),
  l('ping fe80::1%eth0', ipv6('fe80::1')),
  l('mapped ::ffff:192.0.2.128', ipv6('::ffff:192.0.2.128', 'ipv4')),
  l('route 2001:db8::/32 via fe80::a00:27ff:fe4e:66a1', ipv6('2001:db8::'), ipv6('fe80::a00:27ff:fe4e:66a1')),
  l('listen [::1]:8080', ipv6('::1')),
  l('upper case 2001:DB8:0:0:1:0:0:1', ipv6('2001:DB8:0:0:1:0:0:1')),
  l('mixed 2001:db8:3333:4444:5555:6666:192.0.2.7', ipv6('2001:db8:3333:4444:5555:6666:192.0.2.7', 'ipv4')),
  // IP look-alikes
  l('Running version 1.2.3.4 of the agent'),
  l('Upgrade the driver to 4.19.2.1'),
  l('OID 1.3.6.1.4.1.311.21.7'),
  l('SNMP subtree 1.3.6.1'),
  l('See section 3.2.1.4 of the spec'),
  l('octets 999.1.1.1 are out of range'),
  l('Chrome/124.0.6367.207 Safari/537.36'),
  l('build 2.0.0.0 and v1.2.3.4'),
  l('Umsatz 1.000.000.000 €'),
  l('Started 12:34:56, finished 2024-06-10T12:34:56.789Z'),
  l('MAC a4:5e:60:c2:9b:11 and A4-5E-60-C2-9B-11'),
  l('evens = xs[::2]; odds = xs[1::2]'),
  l('std::vector<int> and ActiveRecord::Base'),
  l('sha256:a1fce4363854ff888cff4b8e7875d600'),
  // --- secrets: vendor keys
  l(`OPENAI_API_KEY=${OPENAI_PROJECT}`, apiKey(OPENAI_PROJECT)),
  l(`legacy key ${OPENAI_LEGACY} was rotated`, apiKey(OPENAI_LEGACY)),
  l(`service account ${OPENAI_SERVICE}`, apiKey(OPENAI_SERVICE)),
  l(`admin key: ${OPENAI_ADMIN}`, apiKey(OPENAI_ADMIN)),
  l(`{"x-api-key":"${ANTHROPIC}"}`, apiKey(ANTHROPIC)),
  l(`ANTHROPIC_ADMIN_KEY=${ANTHROPIC_ADMIN}`, apiKey(ANTHROPIC_ADMIN)),
  l(`aws_access_key_id = ${AWS_KEY_ID}`, apiKey(AWS_KEY_ID)),
  l(`aws_secret_access_key = ${AWS_SECRET}`, apiKey(AWS_SECRET)),
  l(
    `AWS_ACCESS_KEY_ID=${AWS_TEMP_KEY_ID} AWS_SECRET_ACCESS_KEY=${AWS_SECRET}`,
    apiKey(AWS_TEMP_KEY_ID),
    apiKey(AWS_SECRET),
  ),
  l(`git clone https://${GITHUB_CLASSIC}@github.com/acme/app.git`, apiKey(GITHUB_CLASSIC)),
  l(`GH_TOKEN=${GITHUB_OAUTH}`, apiKey(GITHUB_OAUTH)),
  l(`installation token ${GITHUB_APP}`, apiKey(GITHUB_APP)),
  l(`fine-grained ${GITHUB_FINE}`, apiKey(GITHUB_FINE)),
  l(`SLACK_BOT_TOKEN=${SLACK_BOT}`, apiKey(SLACK_BOT)),
  l(`user token ${SLACK_USER}`, apiKey(SLACK_USER)),
  l(`SLACK_APP_TOKEN=${SLACK_APP}`, apiKey(SLACK_APP)),
  l(`webhook ${SLACK_WEBHOOK}`, apiKey(SLACK_WEBHOOK)),
  l(`https://maps.googleapis.com/maps/api/geocode/json?key=${GOOGLE}`, apiKey(GOOGLE)),
  l(`"client_secret": "${GOOGLE_CLIENT_SECRET}"`, apiKey(GOOGLE_CLIENT_SECRET)),
  l(`access_token=${GOOGLE_ACCESS}`, apiKey(GOOGLE_ACCESS, 'bearer')),
  l(`stripe.api_key = "${STRIPE_LIVE}"`, apiKey(STRIPE_LIVE)),
  l(`restricted ${STRIPE_RESTRICTED}`, apiKey(STRIPE_RESTRICTED)),
  l(`STRIPE_SECRET_KEY=${STRIPE_TEST}`, apiKey(STRIPE_TEST)),
  l(`STRIPE_WEBHOOK_SECRET=${STRIPE_WEBHOOK}`, apiKey(STRIPE_WEBHOOK)),
  l(`SENDGRID_API_KEY=${SENDGRID}`, apiKey(SENDGRID)),
  l(`HF_TOKEN=${HUGGING_FACE}`, apiKey(HUGGING_FACE)),
  l(`//registry.npmjs.org/:_authToken=${NPM}`, apiKey(NPM)),
  l(`PRIVATE-TOKEN: ${GITLAB}`, apiKey(GITLAB)),
  // secrets: generic assignments
  l(`api_key=${GENERIC_HEX}`, apiKey(GENERIC_HEX)),
  l(`{"apiKey": "${GENERIC_B64}"}`, apiKey(GENERIC_B64)),
  l(`X-API-Key: ${GENERIC_HEX64}`, apiKey(GENERIC_HEX64)),
  l(`secret_key: "${GENERIC_B64}"`, apiKey(GENERIC_B64)),
  // secrets: bearer tokens and JWTs
  l(`Authorization: Bearer ${OPAQUE_TOKEN}`, bearer(OPAQUE_TOKEN)),
  l(`authorization: bearer ${GOOGLE_ACCESS}`, bearer(GOOGLE_ACCESS, 'api_key')),
  l(`Proxy-Authorization: Bearer ${OPAQUE_TOKEN}`, bearer(OPAQUE_TOKEN)),
  l(`"Authorization": "Bearer ${JWT_RS}"`, jwt(JWT_RS, 'bearer')),
  l(`Authorization: Bearer ${OPENAI_PROJECT}`, apiKey(OPENAI_PROJECT, 'bearer')),
  l(`token: ${JWT_HS}`, jwt(JWT_HS)),
  l(`Set-Cookie: session=${JWT_RS}; HttpOnly; Secure`, jwt(JWT_RS)),
  l(`{"id_token":"${JWT_ES}","token_type":"Bearer"}`, jwt(JWT_ES)),
  l(`unsecured ${JWT_NONE} accepted by a bad verifier`, jwt(JWT_NONE)),
  l(`https://app.example.com/cb#access_token=${JWT_HS}&token_type=Bearer&expires_in=3600`, jwt(JWT_HS)),
  l(`old ${JWT_HS} new ${JWT_ES}`, jwt(JWT_HS), jwt(JWT_ES)),
  // secrets: private keys
  l(PEM_PKCS8, privateKey(PEM_PKCS8)),
  l(`key.pem:\n${PEM_EC}\n`, privateKey(PEM_EC)),
  l(PEM_ENCRYPTED, privateKey(PEM_ENCRYPTED)),
  l(`id_ed25519:\n${PEM_OPENSSH}`, privateKey(PEM_OPENSSH)),
  l(PGP_PRIVATE, privateKey(PGP_PRIVATE)),
  l(PEM_CRLF, privateKey(PEM_CRLF)),
  l(
    `{"type":"service_account","private_key":"${PEM_ESCAPED}\\n","client_email":"svc@proj.iam.example.com"}`,
    privateKey(PEM_ESCAPED),
    email('svc@proj.iam.example.com'),
  ),
  l(`${PEM_TRUNCATED}… [truncated 1.6 KB]`, privateKey(PEM_TRUNCATED)),
  // secrets: out of scope (no detector claims them; reported apart)
  l(
    'Authorization: Basic dXNlcjpjb3JyZWN0LWhvcnNlLWJhdHRlcnk=',
    unscored('bearer', 'dXNlcjpjb3JyZWN0LWhvcnNlLWJhdHRlcnk='),
  ),
  l('DATABASE_URL=postgres://app:Tr0ub4dor-3@db.example.com:5432/app', unscored('api_key', 'Tr0ub4dor-3')),
  // secret look-alikes
  l('curl -H "Authorization: Bearer $OPENAI_API_KEY" https://api.example.com'),
  l('Authorization: Bearer <token>'),
  l('Authorization: Bearer YOUR_ACCESS_TOKEN_HERE'),
  l('WWW-Authenticate: Bearer realm="example", error="invalid_token"'),
  l('Use bearer authentication, not basic'),
  l('The bearer of this letter is a trusted courier'),
  l('api_key=YOUR_API_KEY'),
  l('OPENAI_API_KEY=sk-... (paste yours here)'),
  l('Keys start with sk-proj-, sk-ant-, AKIA, ghp_ or AIza'),
  l(`STRIPE_PUBLISHABLE_KEY=${STRIPE_PUBLISHABLE}`),
  l('message id msg_010mZMi3qdPE3xJ7gT2H2hsf, tool use toolu_01WkrC5Gj1Bf86o0C4w7bAdz'),
  l('completion chatcmpl-Gxpyfxobu7g1TPvYjics61ES1iWTE'),
  l('PaymentIntent pi_3CNa5fbqn1jJ8UMHBhXspthd succeeded'),
  l('org-Zq7uEXAMPLEorgId12345 and proj_abc123DEF456'),
  l('uuid c1235c91-76c5-40dc-be7e-7419a0c14035'),
  l('commit 11f6ad8ec52a2984abaafd7c3b516503785c2072'),
  l('md5 9dd4e461268c8034f5c8564e155c67a6'),
  l('sha256 a1fce4363854ff888cff4b8e7875d600c2682390412a8cf79b37d0b11148b0fa'),
  l('data:image/png;base64,kMKUcq7s4ZCkovyfUt34oFAmcBF4caFNy0aXDlqBEk92cwkOXtRJE6Xd+toXnZiB'),
  l('next page cursor eyJwYWdlIjoyLCJsaW1pdCI6NTB9'),
  l('The header eyJhbGciOiJIUzI1NiJ9 decodes to {"alg":"HS256"}'),
  l('//# sourceMappingURL=data:application/json;base64,eyJ2ZXJzaW9uIjozfQ=='),
  l(
    '-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\n-----END CERTIFICATE-----',
  ),
  l('-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----'),
  l(
    '-----BEGIN CERTIFICATE REQUEST-----\nMIICvDCCAaQCAQAwdzELMAkGA1UEBhMC\n-----END CERTIFICATE REQUEST-----',
  ),
  l('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHbEyPvLJ1Pq6Y0r3Y9n6mZ7r8KX9b0Qm6v3Xw2T0p9s deploy@ci'),
  l('Never paste the -----BEGIN PRIVATE KEY----- block into a chat'),
  l('sk-learn is not a package; use scikit-learn and risk-score'),
  l('task-sk-8842 assigned to the desk-lamp team'),
  // --- mixed: realistic prompts, tool calls and log lines
  l(
    'Hi, I am Ana Lima (ana.lima@example.com, +55 11 91234-5678). My card 4111 1111 1111 1111 was charged twice.',
    email('ana.lima@example.com'),
    phone('+55 11 91234-5678'),
    card('4111 1111 1111 1111'),
  ),
  l(
    '{"name":"Hans Meier","iban":"DE89 3704 0044 0532 0130 00","phone":"+49 30 901820","email":"hans.meier@example.de"}',
    iban('DE89 3704 0044 0532 0130 00'),
    phone('+49 30 901820'),
    email('hans.meier@example.de'),
  ),
  l(
    '2024-06-10T12:34:56Z INFO login user=k.tanaka@example.jp ip=203.0.113.77 ua="Mozilla/5.0" v=3.12.1',
    email('k.tanaka@example.jp'),
    ipv4('203.0.113.77'),
  ),
  l(
    'tool_call update_customer({"ssn":"536-22-1498","dob":"1984-03-02","zip":"94103-1234"})',
    ssn('536-22-1498'),
  ),
  l(
    '张伟，身份证 11010119870315107X，手机 138-0013-8000，邮箱 zhang.wei@example.cn',
    cnId('11010119870315107X'),
    phone('138-0013-8000'),
    email('zhang.wei@example.cn'),
  ),
  l(
    `Error: 401 from https://api.example.com (key ${OPENAI_LEGACY}) at 2024-06-10 12:34:56 request_id=req_8Hj2kL9mNpQ4`,
    apiKey(OPENAI_LEGACY),
  ),
  l(
    'Refund 378282246310005 to j.doe@example.org, ticket #784512, call (415) 555-0176',
    card('378282246310005'),
    email('j.doe@example.org'),
    phone('(415) 555-0176'),
  ),
  l(
    'Le client jean.dupont@example.fr, tél. 01 99 00 45 67, IBAN FR14 2004 1010 0505 0001 3M02 606',
    email('jean.dupont@example.fr'),
    phone('01 99 00 45 67'),
    iban('FR14 2004 1010 0505 0001 3M02 606'),
  ),
  l('Summarise: Q3 revenue 1,234,567 USD, 12 hires, churn 3.4 %, NPS 41, next review 2024-09-30 at 10:30'),
  l('Translate "Where is the station?" into Japanese and keep 2 decimals: 3.14'),
  l('kubectl logs argus-7d9f8b6c5-x2k4p --since=10m | grep 5xx'),
  l('GPU 0: H100 80GB HBM3, 700 W, driver 550.54.15, CUDA 12.4'),
  l('Embedding dims 1536, batch 64, 2048 documents, p95 123.45 ms'),
  l('Meeting notes: call with Acme on 06/12, budget 250000, 3 action items'),
  l('The patient, 45, took 500 mg at 08:00 and 20:00'),
  l('Retry 3 of 5 after 30000 ms (HTTP 503)'),
  l(
    `deploy: ssh ubuntu@198.51.100.14 with ${AWS_KEY_ID} for bucket s3://acme-logs-2024`,
    ipv4('198.51.100.14'),
    apiKey(AWS_KEY_ID),
  ),
  l(
    'User message: my SSN is 287-65-4301 and my email is r.patel@example.in, phone +91 98765 43210',
    ssn('287-65-4301'),
    email('r.patel@example.in'),
    phone('+91 98765 43210'),
  ),
];
