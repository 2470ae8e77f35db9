import type { webApi } from '@slack/bolt';
import type { ReportPostInput, ReportPostResult } from '../../commands/contracts';
import type { CardView } from '../../commands/view/view';
import type { Logger } from '../../src/logger';
import { renderView } from './render-block-kit';

export interface SlackReportDeps {
  client: webApi.WebClient;
  log: Logger;
  /** The DM conversation with a Slack user (SlackSurface.dmChannel). */
  dmChannel(userId: string): Promise<string>;
}

/**
 * Posts a report on Slack: the chart through files.uploadV2 (scope files:write;
 * getUploadURLExternal → upload → completeUploadExternal inside the SDK) with
 * its alt text, then the card with the figures. When the upload fails the
 * card still goes, with a note, so the reader always gets the numbers.
 * Export files are uploaded the same way, each its own upload.
 */
export async function postSlackReport(d: SlackReportDeps, input: ReportPostInput): Promise<ReportPostResult> {
  let channel: string;
  if ('user' in input.to) {
    if (!input.to.user.slackUserId) return { posted: false, image: 'none', files: 'none' };
    channel = await d.dmChannel(input.to.user.slackUserId);
  } else channel = input.to.channel;
  const { image, files, ...rest } = input.card;
  let imageOutcome: ReportPostResult['image'] = 'none';
  if (image) {
    try {
      await d.client.files.uploadV2({
        channel_id: channel, file: Buffer.from(image.png), filename: image.fileName, title: rest.title, alt_text: image.alt,
      });
      imageOutcome = 'uploaded';
    } catch (err) {
      d.log.warn({ err, channel, file: image.fileName }, 'slack: chart upload failed; posting the figures as text');
      imageOutcome = 'failed';
    }
  }
  const card: CardView = imageOutcome === 'failed' && input.imageFailedNote ? { ...rest, warnings: [...rest.warnings, input.imageFailedNote] } : rest;
  const res = await d.client.chat.postMessage({ channel, ...renderView(card) });
  let filesOutcome: ReportPostResult['files'] = 'none';
  if (files?.length) {
    filesOutcome = 'sent';
    for (const f of files) {
      try {
        await d.client.files.uploadV2({ channel_id: channel, file: Buffer.from(f.data), filename: f.name, title: f.name });
      } catch (err) {
        d.log.warn({ err, channel, file: f.name }, 'slack: export upload failed');
        filesOutcome = 'failed';
      }
    }
  }
  return { posted: Boolean(res.ok), image: imageOutcome, files: filesOutcome };
}
