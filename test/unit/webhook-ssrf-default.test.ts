import { loadConfig } from '../../src/config';
import { checkWebhookUrl, webhookPolicyFrom } from '../../src/services/webhooks/webhook-url-policy';

/** What the composition root does with the environment: the policy, and what start-up logs about it. */
function startUp(env: Record<string, string>) {
  const warnings: string[] = [];
  const policy = webhookPolicyFrom(loadConfig(env).webhooks, { warn: (_o, msg) => void warnings.push(msg) });
  return { policy, warnings };
}

describe('webhook SSRF guard (issue 20)', () => {
  test.each<Record<string, string>>([{}, { NODE_ENV: 'development' }, { NODE_ENV: 'test' }, { NODE_ENV: 'production' }])(
    'is on by default, whatever NODE_ENV says (%j)',
    (env) => {
      const { policy, warnings } = startUp(env);
      expect(checkWebhookUrl('http://127.0.0.1:9999/hook', policy)).toBe('not_allowed');
      expect(checkWebhookUrl('https://localhost/hook', policy)).toBe('not_allowed');
      expect(checkWebhookUrl('https://169.254.169.254/latest/meta-data', policy)).toBe('not_allowed');
      expect(checkWebhookUrl('https://erp.example.com/hook', policy)).toBe('ok');
      expect(warnings).toEqual([]);
    },
  );

  test('loopback receivers only with the explicit development switch, and start-up warns about it', () => {
    const { policy, warnings } = startUp({ WEBHOOK_ALLOW_LOCAL: 'on' });
    expect(checkWebhookUrl('http://127.0.0.1:9999/hook', policy)).toBe('ok');
    expect(warnings).toEqual([expect.stringMatching(/SSRF guard relaxed/)]);
  });
});
