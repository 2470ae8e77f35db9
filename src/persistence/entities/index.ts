import { ApprovalPolicyEntity } from './approval-policy.entity';
import { ApprovalEntity } from './approval.entity';
import { AuditEventEntity } from './audit-event.entity';
import { BankAccountEntity } from './bank-account.entity';
import { AlertRouteEntity, InteractionReceiptEntity, SandboxAccountEntity, SandboxTransferEntity } from './misc.entity';
import { PayeeEntity } from './payee.entity';
import { PaymentEntity } from './payment.entity';
import { SCHEDULING_ENTITIES } from './schedule.entity';
import { UserEntity } from './user.entity';

export const ALL_ENTITIES = [
  UserEntity,
  BankAccountEntity,
  PayeeEntity,
  PaymentEntity,
  ApprovalEntity,
  ApprovalPolicyEntity,
  AuditEventEntity,
  AlertRouteEntity,
  InteractionReceiptEntity,
  SandboxAccountEntity,
  SandboxTransferEntity,
  ...SCHEDULING_ENTITIES,
];
export * from './approval-policy.entity';
export * from './approval.entity';
export * from './audit-event.entity';
export * from './bank-account.entity';
export * from './misc.entity';
export * from './payee.entity';
export * from './payment.entity';
export * from './schedule.entity';
export * from './user.entity';
