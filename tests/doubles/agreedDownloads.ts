/**
 * A visitor who chose "Don't ask again" for every model: loads never wait for the download question.
 * For tests about what happens after the question (chat, faults, consent to calls), not about it.
 */
import { DownloadConsentStore } from '../../src/ui/state/downloadConfirm.ts';

export class AgreedDownloads extends DownloadConsentStore {
  override remembered(): boolean {
    return true;
  }
}
