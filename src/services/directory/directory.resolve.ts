/**
 * Second stage of reading a directory file: amounts parsed in the currency their
 * entry gives, and every rule that spans entries. Pure, so it is tested without a
 * database, and it reports ALL problems (with their path) rather than the first.
 */
import { ApprovalPolicy, ApprovalTier, Role, validatePolicy } from '../../domain/approval/approval-policy';
import { isKnownCurrency, money, toDecimalString } from '../../domain/money';
import {
  IssuePath,
  PathIssue,
  Report,
  amountIn,
  knownCurrency,
  noRepeats,
  unique,
  uniqueNames,
} from './directory.checks';
import type {
  Directory,
  DirectoryAccount,
  DirectoryFile,
  DirectoryPayee,
  DirectoryUser,
} from './directory.schema';

export type { IssuePath, PathIssue } from './directory.checks';

export type Resolved = { ok: true; value: Directory } | { ok: false; issues: PathIssue[] };

export function resolveDirectory(file: DirectoryFile): Resolved {
  const issues: PathIssue[] = [];
  const report = (path: IssuePath, message: string, firstAt?: IssuePath) =>
    issues.push(firstAt ? { path, message, firstAt } : { path, message });

  const users = file.users.map((u, i) => resolveUser(u, ['users', i], report));
  const policies = resolvePolicies(file, report);
  const accounts = file.accounts.map((a, i) => resolveAccount(a, ['accounts', i], report));
  const payees: DirectoryPayee[] = file.payees.map((p) => ({
    code: p.code,
    name: p.name,
    aliases: p.aliases,
    bankName: p.bank,
    bankBic: p.bic,
    accountNumber: p.number,
    accountName: p.accountName,
    verified: p.verified,
    coolingOffDays: p.coolingOffDays,
    currencies: p.currencies,
  }));
  file.payees.forEach((p, i) => {
    p.currencies.forEach((c, j) => knownCurrency(c, ['payees', i, 'currencies', j], report));
    noRepeats(p.currencies, ['payees', i, 'currencies'], 'currency', report);
  });
  // "The default CNY account" must name one account, or chat would be back to guessing.
  const defaults = new Map<string, number>();
  file.accounts.forEach((a, i) => {
    if (!a.default) return;
    const first = defaults.get(a.currency);
    if (first === undefined) defaults.set(a.currency, i);
    else report(['accounts', i, 'default'], `only one ${a.currency} account can be the default`, ['accounts', first, 'default']);
  });

  unique(file.users, (u) => u.handle, (i) => ['users', i, 'handle'], 'handle', report);
  unique(file.users, (u) => u.slack, (i) => ['users', i, 'slack'], 'Slack id', report);
  unique(file.users, (u) => u.feishu, (i) => ['users', i, 'feishu'], 'Feishu open_id', report);
  unique(file.accounts, (a) => a.code, (i) => ['accounts', i, 'code'], 'account code', report);
  unique(file.accounts, (a) => a.number, (i) => ['accounts', i, 'number'], 'account number', report);
  unique(file.payees, (p) => p.code, (i) => ['payees', i, 'code'], 'payee code', report);
  unique(file.payees, (p) => p.number, (i) => ['payees', i, 'number'], 'payee account number', report);
  unique(
    file.alertRoutes,
    (r) => `${r.kind} → ${r.platform} ${r.channel}`,
    (i) => ['alertRoutes', i],
    'alert route',
    report,
  );
  // Chat resolves "cmb" or "阿克米" to exactly one record, so a name may not mean two.
  uniqueNames(file.accounts, 'accounts', report);
  uniqueNames(file.payees, 'payees', report);

  if (!users.some((u) => u.active && u.roles.includes('admin')))
    report(['users'], 'needs at least one active user with the admin role, or nobody could manage paydesk');

  // Declared, not only valid: a broken CNY policy is reported once, where it is broken.
  const policyCurrencies = new Set(Object.keys(file.approvalPolicy));
  file.accounts.forEach((a, i) => {
    if (isKnownCurrency(a.currency) && !policyCurrencies.has(a.currency))
      report(
        ['accounts', i, 'currency'],
        `approvalPolicy has no ${a.currency} tiers, so no payment from this account could ever be approved`,
      );
  });
  for (const policy of policies) checkApprovable(policy, users, report);

  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    value: {
      company: { name: file.company.name, legalName: file.company.legalName ?? file.company.name },
      users,
      accounts: accounts as DirectoryAccount[],
      payees,
      policies,
      alertRoutes: file.alertRoutes,
      ...(file.monitoring ? { monitoring: file.monitoring } : {}),
      ...(file.calendar ? { calendar: file.calendar } : {}),
      reportRoutes: file.reportRoutes,
    },
  };
}

function resolveUser(u: DirectoryFile['users'][number], at: IssuePath, report: Report): DirectoryUser {
  noRepeats(u.roles, [...at, 'roles'], 'role', report);
  const approvalLimits: Record<string, bigint> = {};
  for (const [cur, text] of Object.entries(u.approvalLimits)) {
    const path = [...at, 'approvalLimits', cur];
    if (!knownCurrency(cur, path, report)) continue;
    const m = amountIn(text, cur, path, report);
    if (m) approvalLimits[cur] = m.minor;
  }
  return {
    handle: u.handle,
    name: u.name,
    email: u.email,
    roles: u.roles,
    locale: u.locale,
    approvalLimits,
    slackUserId: u.slack,
    feishuOpenId: u.feishu,
    active: u.active,
  };
}

function resolveAccount(
  a: DirectoryFile['accounts'][number],
  at: IssuePath,
  report: Report,
): DirectoryAccount | undefined {
  if (!knownCurrency(a.currency, [...at, 'currency'], report)) return undefined;
  // A new account may well start empty; a threshold of zero would never fire, so it must be positive.
  const openingBalance = amountIn(a.openingBalance, a.currency, [...at, 'openingBalance'], report, true);
  const threshold =
    a.lowBalanceThreshold === undefined
      ? undefined
      : amountIn(a.lowBalanceThreshold, a.currency, [...at, 'lowBalanceThreshold'], report);
  if (!openingBalance) return undefined;
  return {
    code: a.code,
    name: a.name,
    aliases: a.aliases,
    bankName: a.bank,
    bankBic: a.bic,
    accountNumber: a.number,
    currency: a.currency,
    openingBalance,
    lowBalanceThreshold: threshold,
    alertChannels: a.alertChannels,
    isDefault: a.default,
  };
}

function resolvePolicies(file: DirectoryFile, report: Report): ApprovalPolicy[] {
  const policies: ApprovalPolicy[] = [];
  for (const [cur, rawTiers] of Object.entries(file.approvalPolicy)) {
    const at = ['approvalPolicy', cur];
    if (!knownCurrency(cur, at, report)) continue;
    let parsed = true;
    const tiers: ApprovalTier[] = rawTiers.map((t, i) => {
      noRepeats(t.roles, [...at, i, 'roles'], 'role', report);
      let upTo: bigint | null = null;
      if (t.upTo !== undefined) {
        const m = amountIn(t.upTo, cur, [...at, i, 'upTo'], report);
        if (m) upTo = m.minor;
        else parsed = false;
      }
      return {
        upTo,
        approvals: t.approvals,
        roles: t.roles,
        ...(t.requireRole ? { requireRole: t.requireRole } : {}),
        autoApprove: t.autoApprove,
      };
    });
    // With an unparsed ceiling, the ordering checks would only add confusing echoes.
    if (!parsed) continue;
    const policy = { currency: cur, tiers };
    const problems = validatePolicy(policy);
    for (const problem of problems) {
      const n = /^tier (\d+)/.exec(problem);
      const tierIndex = n ? Number(n[1]) - 1 : problem.startsWith('the last tier') ? tiers.length - 1 : undefined;
      const tierAt = tierIndex === undefined ? at : [...at, tierIndex];
      const path = tierIndex !== undefined && problem.includes('ceiling') ? [...tierAt, 'upTo'] : tierAt;
      report(path, problem);
    }
    if (problems.length === 0) policies.push(policy);
  }
  return policies;
}

/**
 * A band nobody can approve only shows up when a real payment sits stuck until it
 * expires, so it is refused now: each band needs enough active people, holding a
 * counting role, whose own limit reaches into the band (checkVote caps by limit).
 */
function checkApprovable(policy: ApprovalPolicy, users: DirectoryUser[], report: Report): void {
  let floor = 0n;
  policy.tiers.forEach((t, i) => {
    const at = ['approvalPolicy', policy.currency, i];
    const able = users.filter(
      (u) =>
        u.active &&
        u.roles.some((r) => t.roles.includes(r)) &&
        (u.approvalLimits[policy.currency] ?? -1n) > floor,
    );
    const above = `a ${policy.currency} approval limit above ${toDecimalString(money(floor, policy.currency))}`;
    if (t.approvals > 0 && able.length < t.approvals)
      report(
        [...at, 'approvals'],
        `needs ${t.approvals} approvals, but only ${able.length} active user(s) ` +
          `with role ${t.roles.join('/')} have ${above}`,
      );
    if (t.approvals > 0 && t.requireRole && !able.some((u) => u.roles.includes(t.requireRole as Role)))
      report([...at, 'requireRole'], `requires a ${t.requireRole}, but no active ${t.requireRole} has ${above}`);
    if (t.upTo !== null) floor = t.upTo;
  });
}
