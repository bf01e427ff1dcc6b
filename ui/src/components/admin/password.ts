// Initial and reset passwords the system administrator hands over: the server's policy is at
// least 12 characters from three of upper case, lower case, digits and symbols
// (auth.weak_password); a generated one has all four, without look-alike characters.
export const PASSWORD_HINT = '至少12位，包含大写字母、小写字母、数字、符号中的至少三类';

const SETS = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '@#%&*+=?'];

function pick(s: string): string {
  const b = new Uint32Array(1);
  crypto.getRandomValues(b);
  return s[b[0] % s.length];
}

export function generatePassword(length = 14): string {
  const all = SETS.join('');
  const chars = SETS.map(pick);
  while (chars.length < length) chars.push(pick(all));
  for (let i = chars.length - 1; i > 0; i--) {
    const b = new Uint32Array(1);
    crypto.getRandomValues(b);
    const j = b[0] % (i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}
