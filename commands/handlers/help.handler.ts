import type { Reply } from '../view/view';
import type { CommandContext } from '../command-context';
import { helpView } from '../views/help.view';

export async function handleHelp(ctx: CommandContext): Promise<Reply> {
  return { visibility: 'ephemeral', view: helpView(ctx.locale, ctx.user) };
}
