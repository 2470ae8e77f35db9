import { Migration } from '@mikro-orm/migrations';

/**
 * `queued`: a file gateway took the payment into a batch whose pain.001 file is not
 * published yet. It becomes `submitted` (ACSP) only once the file is out.
 */
export class Migration20261207211000SecQueuedStatus extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "payments" drop constraint "payments_status_known";`);
    this.addSql(`alter table "payments" add constraint "payments_status_known" check (status ~ '^(pending_approval|approved|queued|submitted|settled|failed|rejected|cancelled|expired)$');`);
    // Payments marked submitted while their batch was still open were never seen by the bank.
    this.addSql(`update "payments" p set "status" = 'queued', "bank_status" = null, "submitted_at" = null
      from "bank_file_transactions" t join "bank_file_batches" b on b."id" = t."batch_id"
      where t."payment_id" = p."id" and p."status" = 'submitted' and b."published_at" is null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`update "payments" set "status" = 'submitted', "bank_status" = 'ACSP' where "status" = 'queued';`);
    this.addSql(`alter table "payments" drop constraint "payments_status_known";`);
    this.addSql(`alter table "payments" add constraint "payments_status_known" check (status ~ '^(pending_approval|approved|submitted|settled|failed|rejected|cancelled|expired)$');`);
  }
}
