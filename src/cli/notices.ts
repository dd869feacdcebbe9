/**
 * Notices raised while the app starts (before the UI can show them) are kept, then delivered once
 * a target is attached; later ones go straight to it. Nothing is shown twice or lost.
 */
export class NoticeRelay {
  private pending: string[] = [];
  private target: ((message: string) => void) | undefined;

  readonly add = (message: string): void => {
    if (this.target) this.target(message);
    else this.pending.push(message);
  };

  attach(target: (message: string) => void): void {
    this.target = target;
    const queued = this.pending;
    this.pending = [];
    for (const m of queued) target(m);
  }
}
