/** Checksums and validity rules the PII detectors use to reject look-alikes. Pure. */
import { isIPv4, isIPv6 } from 'node:net';

/** The digits of `s`, separators dropped. */
export function digitsOf(s: string): string {
  return s.replace(/\D/g, '');
}

/** Luhn (mod 10) check of a digit string. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * Whether a number's length is one its network issues: Visa 13/16/19, Amex 15, Mastercard 16,
 * JCB 16–19. Luhn-valid numbers of other lengths are something else — every IMEI is
 * Luhn-valid and most start with 35 (JCB's range) or 49 (Visa's).
 */
function lengthFitsNetwork(digits: string): boolean {
  const n = digits.length;
  const iin = Number(digits.slice(0, 4));
  if (digits[0] === '4') return n === 13 || n === 16 || n === 19;
  if (/^3[47]/.test(digits)) return n === 15;
  if (/^5[1-5]/.test(digits) || (iin >= 2221 && iin <= 2720)) return n === 16;
  if (iin >= 3528 && iin <= 3589) return n >= 16;
  return true;
}

/** A payment card number: 13–19 digits, a known IIN range and length, one separator kind, Luhn-valid. */
export function cardValid(match: string): boolean {
  const digits = digitsOf(match);
  if (digits.length < 13 || digits.length > 19) return false;
  if (!/^[2-6]/.test(digits) || /^(\d)\1+$/.test(digits)) return false;
  if (!lengthFitsNetwork(digits)) return false;
  const separators = new Set(match.replace(/\d/g, ''));
  if (separators.size > 1) return false;
  if (separators.size === 1) {
    // Printed groupings: 4-4-4-3/4, 4-4-4-4-3/4 or Amex/Diners 4-6-4/5; anything else is another number.
    const groups = match.split(/[ -]/).map((g) => g.length);
    const last = groups.pop()!;
    const fours = groups.every((g) => g === 4) && last >= 3 && groups.length >= 3;
    const amex = groups.length === 2 && groups[0] === 4 && groups[1] === 6 && (last === 4 || last === 5);
    if (!fours && !amex) return false;
  }
  return luhnValid(digits);
}

/** An IBAN (spaces allowed every 4 characters): length 15–34 and ISO 7064 mod-97 = 1. */
export function ibanValid(match: string): boolean {
  const iban = match.replace(/ /g, '').toUpperCase();
  if (iban.length < 15 || iban.length > 34) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    const value = code >= 65 ? String(code - 55) : ch;
    for (const d of value) remainder = (remainder * 10 + (d.charCodeAt(0) - 48)) % 97;
  }
  return remainder === 1;
}

/** A US SSN `AAA-GG-SSSS`: area not 000, 666 or 9xx; group not 00; serial not 0000; not a known sample. */
export function ssnValid(match: string): boolean {
  const [area, group, serial] = match.split('-') as [string, string, string];
  if (area === '000' || area === '666' || area[0] === '9') return false;
  if (group === '00' || serial === '0000') return false;
  return match !== '078-05-1120' && match !== '219-09-9999';
}

const CN_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CN_CHECK = '10X98765432';

/** A Chinese resident identity number (18 characters): GB 11643 check character. */
export function cnIdValid(match: string): boolean {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (match.charCodeAt(i) - 48) * CN_WEIGHTS[i]!;
  return CN_CHECK[sum % 11] === match[17]!.toUpperCase();
}

/** A JWT: the header segment decodes to a JSON object with an `alg`. */
export function jwtValid(match: string): boolean {
  try {
    const header = JSON.parse(Buffer.from(match.slice(0, match.indexOf('.')), 'base64url').toString('utf8'));
    return typeof header === 'object' && header !== null && typeof header.alg === 'string';
  } catch {
    return false;
  }
}

/** A phone number: 8–15 digits, one separator kind besides parentheses, not a date-like grouping. */
export function phoneValid(match: string): boolean {
  const digits = digitsOf(match);
  if (digits.length < 8 || digits.length > 15) return false;
  const separators = new Set(match.replace(/[\d+()]/g, ''));
  if (separators.size > 1 && !(separators.size === 2 && separators.has(' '))) return false;
  // National trunk-0 numbers have 10–12 digits and no `00` (an international prefix, or a date/id).
  if (match[0] === '0' && (digits.length < 10 || digits.length > 12 || digits[1] === '0')) return false;
  // An ISO date never is a phone number.
  return !/^\d{4}[-/.]\d{2}[-/.]\d{2}/.test(match);
}

/** An IPv4 address, with node:net's parser. */
export const ipv4Valid = (match: string): boolean => isIPv4(match);

/** An IPv6 address with at least two groups of hex digits (so `::` and clock times fail). */
export function ipv6Valid(match: string): boolean {
  return isIPv6(match) && /\d/.test(match) && match.replace(/[^:]/g, '').length >= 2;
}
