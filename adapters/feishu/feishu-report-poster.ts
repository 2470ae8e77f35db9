import type { ReportPostInput, ReportPostResult } from '../../commands/contracts';
import type { CardView } from '../../commands/view/view';
import type { Logger } from '../../src/logger';
import { FeishuMessenger, ReceiveIdType, receiveIdTypeOf } from './feishu-messenger';
import { renderCardView, type FeishuCard } from './render-card';

/**
 * Posts a report on Feishu: the chart is uploaded first (im.v1.image.create)
 * and shown as an `img` element at the top of the card, with its alt text;
 * when the upload fails the card goes without it, carrying the figures and a
 * note. Export files are uploaded and sent as file messages.
 */
export async function postFeishuReport(d: { messenger: FeishuMessenger; log: Logger }, input: ReportPostInput): Promise<ReportPostResult> {
  let type: ReceiveIdType;
  let id: string;
  if ('user' in input.to) {
    if (!input.to.user.feishuOpenId) return { posted: false, image: 'none', files: 'none' };
    type = 'open_id';
    id = input.to.user.feishuOpenId;
  } else {
    id = input.to.channel;
    type = receiveIdTypeOf(id);
  }
  const { image, files, ...rest } = input.card;
  let imageKey: string | undefined;
  let imageOutcome: ReportPostResult['image'] = 'none';
  if (image) {
    try {
      imageKey = await d.messenger.uploadImage(Buffer.from(image.png));
      imageOutcome = 'uploaded';
    } catch (err) {
      d.log.warn({ err, to: id, file: image.fileName }, 'feishu: chart upload failed; posting the figures as text');
      imageOutcome = 'failed';
    }
  }
  const card: CardView = imageOutcome === 'failed' && input.imageFailedNote ? { ...rest, warnings: [...rest.warnings, input.imageFailedNote] } : rest;
  const rendered = renderCardView(card);
  await d.messenger.send(type, id, imageKey && image ? withImage(rendered, imageKey, image.alt) : rendered);
  let filesOutcome: ReportPostResult['files'] = 'none';
  if (files?.length) {
    filesOutcome = 'sent';
    for (const f of files) {
      try {
        await d.messenger.sendFile(type, id, f.name, Buffer.from(f.data));
      } catch (err) {
        d.log.warn({ err, to: id, file: f.name }, 'feishu: export upload failed');
        filesOutcome = 'failed';
      }
    }
  }
  return { posted: true, image: imageOutcome, files: filesOutcome };
}

/** The card 2.0 `img` element goes first in the body, above the figures. */
function withImage(card: FeishuCard, imageKey: string, alt: string): FeishuCard {
  const body = card.body as { elements: unknown[] };
  const img = { tag: 'img', img_key: imageKey, alt: { tag: 'plain_text', content: alt }, scale_type: 'fit_horizontal', preview: true };
  return { ...card, body: { ...body, elements: [img, ...body.elements] } };
}
