/**
 * A labelled corpus for the redaction precision/recall test: realistic prompt, completion, log
 * and tool-argument lines, each with how many values of each detector it really holds (no
 * label = no PII). Card, IBAN and Chinese-id values are checksum-valid test numbers; near-misses
 * (dates, versions, UUIDs, token counts, Luhn-invalid numbers, bad IBANs) are labelled empty.
 */

/** One labelled line. */
export interface CorpusLine {
  text: string;
  /** Detector id → number of true values in `text`. */
  pii: Record<string, number>;
}

const JWT1 =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const JWT2 =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJ1XzgyOSIsImV4cCI6MTc2NzIyNTYwMH0.Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA';

const l = (text: string, pii: Record<string, number> = {}): CorpusLine => ({ text, pii });

/** The corpus. */
export const CORPUS: readonly CorpusLine[] = [
  // e-mail
  l('Hi, my email is maria.gonzalez@gmail.com, please send the invoice there.', { email: 1 }),
  l('Forward the ticket to support@acme-corp.io and cc j.smith@acme-corp.io', { email: 2 }),
  l('User <tom_o+billing@outlook.co.uk> asked to reset the password', { email: 1 }),
  l('{"to":"li.wei@example.cn","subject":"Order 88213 shipped"}', { email: 1 }),
  l('Reply from noreply@notifications.github.com: build passed', { email: 1 }),
  l('Contact: Dr. A. Okafor (a.okafor@lagos-uni.edu.ng)', { email: 1 }),
  l('git clone git@github.com:argus/argus.git'), // an SSH remote, not a person: a known false positive
  l('Install with npm i @types/node@22.10.1 and react@18.3.1'),
  l('Mention @dev-team in the channel when the deploy finishes'),
  l('The decorator @app.route("/users") registers the handler'),
  l('Send to admin@localhost for local testing'),
  l('pip install requests==2.32.3; the email field is optional'),
  l('Twitter handle @openai posted at 10:45'),
  l('my address is jdoe at example dot com'),
  l('Customer sarah.k@protonmail.ch reported order #A-10293 missing', { email: 1 }),
  // payment cards
  l('Please charge my Visa 4111 1111 1111 1111, exp 12/27, CVC 123', { card: 1 }),
  l('card_number=5500-0000-0000-0004&amount=42.00', { card: 1 }),
  l('Amex 378282246310005 was declined', { card: 1 }),
  l('{"pan":"6011111111111117","brand":"discover"}', { card: 1 }),
  l('Use 4242424242424242 in the Stripe test mode', { card: 1 }),
  l('Saved cards: 5555 5555 5555 4444 and 4012 8888 8888 1881', { card: 2 }),
  l('Mastercard 2-series 2223003122003222 works too', { card: 1 }),
  l('The JCB number 3530111333300000 expired', { card: 1 }),
  l('Diners 30569309025904 on file', { card: 1 }),
  l('Tracking number 1Z999AA10123456784 for your parcel'),
  l('Reference 4111 1111 1111 1112 is not a valid card'),
  l('Order id 5412345678901234 pending'),
  l('timestamp_ms=1718035200123 elapsed_ns=4500000000000'),
  l('ISBN 978-3-16-148410-0 is the book you asked about'),
  l('Account balance 1,234,567.89 USD as of 2024-06-10'),
  l('batch 4444444444444444 failed to import'),
  l('phone in the card field: 4000 0566 5566 5556', { card: 1 }),
  // IBAN
  l('Transfer to IBAN DE89 3704 0044 0532 0130 00 by Friday', { iban: 1 }),
  l('iban: GB82WEST12345698765432, bic: NWBKGB2L', { iban: 1 }),
  l('Paiement sur FR14 2004 1010 0505 0001 3M02 606 reçu', { iban: 1 }),
  l('NL91ABNA0417164300 is the supplier account', { iban: 1 }),
  l('Cuenta ES91 2100 0418 4502 0005 1332 confirmada', { iban: 1 }),
  l('Bonifico a IT60X0542811101000000123456', { iban: 1 }),
  l('BE68539007547034 and CH9300762011623852957 both verified', { iban: 2 }),
  l('The IBAN DE89 3704 0044 0532 0130 01 failed validation'),
  l('GB82WEST12345698765433 was rejected by the bank'),
  l('SKU AB12CDEF34567890 restocked'),
  l('Flight LH1234 departs gate B22 at 14:05'),
  // SSN
  l('My SSN is 078-12-3456, can you file the form?', { ssn: 1 }),
  l('ssn=219-45-8765 dob=1984-03-02', { ssn: 1 }),
  l('Employee 412-67-1290 onboarding complete', { ssn: 1 }),
  l('Invalid SSN 666-12-3456 in the sample data'),
  l('Test value 000-12-3456 should be ignored'),
  l('Placeholder 900-55-1234 from the ITIN range'),
  l('Call extension 555-01-0000 for billing'),
  l('Part number 123-00-4567 discontinued'),
  l('Date 2024-05-17 and build 20240517.3'),
  // Chinese resident id
  l('身份证号 440304198506122313，请核对', { cn_id: 1 }),
  l('passenger id: 310101199003074829', { cn_id: 1 }),
  l('ID 510107197811230056 verified at the counter', { cn_id: 1 }),
  l('{"id_card":"110108200112253415"}', { cn_id: 1 }),
  l('Invalid id 440304198506122314 (bad check digit)'),
  l('Snowflake id 1790345678901234567 from the API'),
  l('Order 202406101530001234 created'),
  // phone
  l('Call me at +1 415 555 2671 after 5pm', { phone: 1 }),
  l('WhatsApp +447911123456 anytime', { phone: 1 }),
  l('Office: (212) 555-0198, fax 212-555-0199', { phone: 2 }),
  l('Bitte rufen Sie 030 12345678 an', { phone: 1 }),
  l('Appelez le 06 12 34 56 78 demain', { phone: 1 }),
  l('Mobile: +49 151 23456789', { phone: 1 }),
  l('Our London office is on 020 7946 0958', { phone: 1 }),
  l('customer phone 415.555.2671 on the order', { phone: 1 }),
  l('手机 +86 138 0013 8000 联系', { phone: 1 }),
  l('Tel. +33 1 42 68 53 00', { phone: 1 }),
  l('The model used 128000 tokens of context and 4096 for output'),
  l('Year 2023 revenue was 45000000 USD'),
  l('Ticket INC0012345 escalated'),
  l('latency p95 1234.56 ms over 100000 requests'),
  l('Version 10.2.3.4567 released'),
  l('Scheduled for 2024-12-31 23:59:59'),
  l('Build #20240611 passed in 0.53s'),
  l('coordinates 51.5074, -0.1278'),
  l('ratio 1/3/2024 was misparsed'),
  // IP addresses
  l('Request from 203.0.113.42 blocked by WAF', { ipv4: 1 }),
  l('Connect to db at 10.0.12.7:5432', { ipv4: 1 }),
  l('X-Forwarded-For: 198.51.100.7, 192.168.1.20', { ipv4: 2 }),
  l('IPv6 client 2001:db8:85a3::8a2e:370:7334 connected', { ipv6: 1 }),
  l('listen on [fe80::1ff:fe23:4567:890a]:8080', { ipv6: 1 }),
  l('bind ::1 and 127.0.0.1', { ipv6: 1, ipv4: 1 }),
  l('Upgraded from v1.2.3 to v1.2.4'),
  l('Python 3.12.1 and Node 22.11.0'),
  l('The meeting is at 10:30:15 UTC'),
  l('MAC 00:1A:2B:3C:4D:5E registered'),
  l('octets 256.300.1.1 are out of range'),
  l('See RFC 3986 section 3.2.2'),
  // API keys, tokens, private keys
  l('export OPENAI_API_KEY=sk-proj-4fG7hJ2kL9mN1pQ3rS5tU7vW9xY0zA2b', { api_key: 1 }),
  l('anthropic key sk-ant-api03-Xy7_zQ9wE2rT5yU8iO1pA4sD6fG8hJ0k-LmNoPq', { api_key: 1 }),
  l('AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE', { api_key: 1 }),
  l('token ghp_1a2B3c4D5e6F7g8H9i0J1k2L3m4N5o6P7q8R pushed', { api_key: 1 }),
  l('slack bot xoxb-123456789012-abcdefABCDEF leaked', { api_key: 1 }),
  l('maps key AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q', { api_key: 1 }),
  l('old key sk-1234567890abcdefghijklmnopqrstuv rotated', { api_key: 1 }),
  l('Authorization: Bearer 8f14e45fceea167a5a36dedd4bea2543', { bearer: 1 }),
  l('curl -H "authorization: bearer ya29.a0AfH6SMBxyz1234567890abcdef"', { bearer: 1 }),
  l(`Authorization: Bearer ${JWT1}`, { jwt: 1 }),
  l(`id_token=${JWT2}&state=xyz`, { jwt: 1 }),
  l(`cookie session=${JWT1}`, { jwt: 1 }),
  l('-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7bq\n-----END RSA PRIVATE KEY-----', {
    private_key: 1,
  }),
  l('-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n-----END OPENSSH PRIVATE KEY-----', {
    private_key: 1,
  }),
  l('-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqh\n-----END PUBLIC KEY-----'),
  l('pip install scikit-learn==1.5.0 and run the task-scheduler'),
  l('Use the sk- prefix for secret keys in the docs'),
  l('commit 9fceb02d0ae598e95dc970b74767f19372d61af8 merged'),
  l('sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'),
  l('request id req_8Hj2kL9mNpQ4 finished'),
  l('eyJub3QiOiJqd3QifQ.eyJhIjoxfQ.c2ln is only base64 JSON'),
  l('The Bearer scheme is described in RFC 6750'),
  l('uuid 550e8400-e29b-41d4-a716-446655440000 stored'),
  l('trace 4bf92f3577b34da6a3ce929d0e0e4736 span 00f067aa0ba902b7'),
  l('base64 aGVsbG8gd29ybGQgdGhpcyBpcyBub3QgYSBzZWNyZXQ='),
  // mixed
  l('Name: John Carter, email john.carter@fastmail.com, SSN 523-44-9012', { email: 1, ssn: 1 }),
  l('Refund 4111-1111-1111-1111 to j.doe@corp.example.org', { card: 1, email: 1 }),
  l('Wire DE89370400440532013000 from +49 30 901820', { iban: 1, phone: 1 }),
  l('user 440304198506122313 logged in from 58.247.1.10', { cn_id: 1, ipv4: 1 }),
  l(`{"api_key":"sk-live-abcdefghijklmnopqrstuvwx","email":"ops@startup.dev"}`, { api_key: 1, email: 1 }),
  l('tool_call get_weather({"city":"Paris","units":"metric"}) at 2024-06-10T10:00:00Z'),
  l('The answer is 42; the invoice total is $1,299.00'),
  l('Summarize the attached 12-page contract dated 03/04/2022'),
  l('Meeting notes: Q3 OKRs, 3 hires, budget 250000'),
  l('Translate "Where is the station?" into French'),
  l('Your appointment #784512 is confirmed for 09:30'),
  l('Retry after 30 seconds; attempt 3 of 5'),
  l('GPU 0: H100 80GB, utilization 87%, temp 64C'),
  l('Embedding dims 1536, batch size 64, 2048 documents indexed'),
  l('ZIP code 94103 and room 1204'),
  l('The patient, 45, was prescribed 500 mg twice daily'),
  l('Error 503 from upstream after 30000 ms'),
  l('Lat/long 37.7749,-122.4194'),
  l('Call the function with n=1000000 and seed=31337'),
  l('Log line: 2024/06/10 12:00:01 worker-7 processed 812 jobs'),
  l('Order total 4111 items shipped in 1111 boxes'),
  l('The chemical formula CH3COOH has molar mass 60.05'),
  l('Invoice INV-2024-000123 due 2024-07-01'),
  l('Version string 2.0.0-beta.3+build.5678'),
  l('Range 10-20-30-40 percent'),
  l('Reach our team on +1-800-555-0199 or sales@argus.dev', { phone: 1, email: 1 }),
  l('Le client jean.dupont@orange.fr, tél. 01 23 45 67 89', { email: 1, phone: 1 }),
  l('bank: NL91 ABNA 0417 1643 00, card: 5105 1051 0510 5100', { iban: 1, card: 1 }),
  l('Session 7f3a9c started; user agent Mozilla/5.0 (X11; Linux x86_64)'),
  l('Kubernetes pod argus-7d9f8b6c5-x2k4p restarted 3 times'),
];
