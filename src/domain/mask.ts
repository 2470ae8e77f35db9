/**
 * Display form of a bank account number: only the last 4 characters survive, so
 * approvers can tell accounts apart without the full number ever reaching chat or logs.
 * Pure and dependency-free because both the domain (cards, messages) and the logger use it.
 */
export function maskAccountNumber(s: string): string {
  // Spaces and dashes are formatting ("6222 0212 ..."), not part of the number.
  const compact = s.replace(/[\s-]/g, '');
  // With 4 or fewer characters "keep the last 4" would reveal the whole number.
  if (compact.length <= 4) return '****';
  return `**** ${compact.slice(-4)}`;
}
