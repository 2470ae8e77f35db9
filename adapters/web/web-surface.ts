import { randomUUID } from 'node:crypto';
import type { ChatSurface, LocalisedCard, LocalisedView, ReportPostInput, ReportPostResult } from '../../commands/contracts';
import type { View } from '../../commands/view/view';
import type { Payment } from '../../src/domain/payment/payment';
import type { User } from '../../src/domain/directory';

export const PUBLIC_CHANNELS = ['#payments', '#approvals', '#alerts'] as const;
export const BOT_AUTHOR = 'paydesk';

/** What a message shows: text someone typed, or a view rendered for each reader's language. */
export type MessageContent = { kind: 'text'; text: string } | { kind: 'view'; view: LocalisedView };

/** One message in the playground's memory. */
export interface StoredMessage {
  id: string;
  /** Global, increasing: the order messages are shown in, whatever channel they are in. */
  seq: number;
  channel: string;
  /** `paydesk` or the handle of the person who typed it. */
  author: string;
  at: Date;
  /** Which card it shows (`payment:<id>`), so updateCard can refresh every copy. */
  key?: string;
  /** Only this handle sees it: ephemeral replies, and typed commands until their reply is public. */
  visibleTo?: string;
  content: MessageContent;
  /** Bumped on every change, so a browser can tell whether its copy is older than an answer. */
  revision: number;
}

export type SurfaceEvent = { type: 'created' | 'updated'; message: StoredMessage };
type Listener = (e: SurfaceEvent) => void;

export interface WebSurfaceOptions {
  /** Messages kept per channel; older ones are forgotten (the playground is a demo, not an archive). */
  maxPerChannel?: number;
  /** Alert channels beyond the built-in ones are created on demand, up to this many in total. */
  maxChannels?: number;
  onListenerError?: (err: unknown) => void;
}

export const dmChannel = (handle: string): string => `dm:${handle}`;

/**
 * The playground's chat platform: an in-memory workspace with a few channels and
 * one direct-message channel per person. Views are stored as functions of the
 * reader's locale, so an English and a Chinese user watching the same card each
 * read it in their own language.
 */
export class WebSurface implements ChatSurface {
  readonly platform = 'web' as const;
  private readonly channels = new Map<string, StoredMessage[]>();
  private readonly listeners = new Set<Listener>();
  private seq = 0;
  private readonly maxPerChannel: number;
  private readonly maxChannels: number;

  constructor(private readonly opts: WebSurfaceOptions = {}) {
    this.maxPerChannel = opts.maxPerChannel ?? 500;
    this.maxChannels = opts.maxChannels ?? 50;
    for (const c of PUBLIC_CHANNELS) this.channels.set(c, []);
  }

  async postApprovalCard(input: { payment: Payment; key: string; card: LocalisedCard; approvers: User[] }): Promise<void> {
    this.post({ channel: '#approvals', author: BOT_AUTHOR, key: input.key, content: { kind: 'view', view: input.card } });
    for (const a of input.approvers) {
      this.post({ channel: dmChannel(a.handle), author: BOT_AUTHOR, key: input.key, content: { kind: 'view', view: input.card } });
    }
  }

  async updateCard(input: { key: string; card: LocalisedCard }): Promise<void> {
    for (const list of this.channels.values()) {
      for (const m of list) {
        if (m.key !== input.key) continue;
        m.content = { kind: 'view', view: input.card };
        m.revision += 1;
        this.emit({ type: 'updated', message: m });
      }
    }
  }

  async notifyUser(input: { user: User; view: LocalisedView }): Promise<void> {
    this.post({ channel: dmChannel(input.user.handle), author: BOT_AUTHOR, content: { kind: 'view', view: input.view } });
  }

  async postAlert(input: { channel: string; key: string; card: LocalisedCard }): Promise<void> {
    this.post({ channel: this.alertChannel(input.channel), author: BOT_AUTHOR, key: input.key, content: { kind: 'view', view: input.card } });
  }

  /** Reports show inline: the chart as an image, exports as download links (in the person's DM). */
  async postReport(input: ReportPostInput): Promise<ReportPostResult> {
    const channel = 'user' in input.to ? dmChannel(input.to.user.handle) : this.alertChannel(input.to.channel);
    const card = input.card;
    this.post({ channel, author: BOT_AUTHOR, ...(card.key ? { key: card.key } : {}), content: { kind: 'view', view: () => card } });
    return { posted: true, image: card.image ? 'inline' : 'none', files: card.files?.length ? 'sent' : 'none' };
  }

  /** Adds a message and tells every watcher. */
  post(input: { channel: string; author: string; content: MessageContent; key?: string; visibleTo?: string }): StoredMessage {
    const message: StoredMessage = {
      id: randomUUID(),
      seq: ++this.seq,
      channel: input.channel,
      author: input.author,
      at: new Date(),
      key: input.key,
      visibleTo: input.visibleTo,
      content: input.content,
      revision: 1,
    };
    const list = this.channels.get(input.channel) ?? [];
    if (!this.channels.has(input.channel)) this.channels.set(input.channel, list);
    list.push(message);
    if (list.length > this.maxPerChannel) list.splice(0, list.length - this.maxPerChannel);
    this.emit({ type: 'created', message });
    return message;
  }

  /** A reply turned out to be `in_channel`: the command that asked for it becomes visible to everyone too. */
  makePublic(id: string): void {
    const m = this.find(id);
    if (!m || m.visibleTo === undefined) return;
    m.visibleTo = undefined;
    m.revision += 1;
    this.emit({ type: 'updated', message: m });
  }

  find(id: string): StoredMessage | undefined {
    for (const list of this.channels.values()) {
      const m = list.find((x) => x.id === id);
      if (m) return m;
    }
    return undefined;
  }

  /** The public channels (built-in and alert channels created since) followed by the person's DM. */
  channelsFor(handle: string): string[] {
    const open = [...this.channels.keys()].filter((c) => c.startsWith('#'));
    return [...open, dmChannel(handle)];
  }

  /** Everything the person may read, oldest first. */
  messagesFor(handle: string): StoredMessage[] {
    const out: StoredMessage[] = [];
    for (const list of this.channels.values()) for (const m of list) if (isVisibleTo(m, handle)) out.push(m);
    return out.sort((a, b) => a.seq - b.seq);
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private emit(e: SurfaceEvent): void {
    for (const l of this.listeners) {
      // One broken browser stream must not stop the others from hearing about the change.
      try {
        l(e);
      } catch (err) {
        this.opts.onListenerError?.(err);
      }
    }
  }

  /** Alert routes name channels freely ("treasury-alerts", "#ops"); unknown or excess names land in #alerts. */
  private alertChannel(name: string): string {
    const c = `#${name.replace(/^#/, '').toLowerCase()}`;
    if (!/^#[a-z0-9][a-z0-9_.-]{0,39}$/.test(c)) return '#alerts';
    if (this.channels.has(c) || this.channels.size < this.maxChannels) return c;
    return '#alerts';
  }
}

/** Public channels are for everyone, a DM only for its owner, and an ephemeral message only for its addressee. */
export function isVisibleTo(m: StoredMessage, handle: string): boolean {
  if (m.visibleTo !== undefined && m.visibleTo !== handle) return false;
  return m.channel.startsWith('#') || m.channel === dmChannel(handle);
}

/** A view that reads the same in every language (a reply already rendered for its one reader). */
export const fixedView = (view: View): LocalisedView => () => view;
