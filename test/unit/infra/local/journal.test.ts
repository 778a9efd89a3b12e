import { appendFileSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Journal, type JournalRecord, liveRecords, readJournal, type SentRecord } from '../../../../infra/local/journal';
import { LocalEventBus } from '../../../../infra/local/local-event-bus';
import { LocalQueue } from '../../../../infra/local/local-queue';
import type { EventRule } from '../../../../infra/topology';

const opened: Journal[] = [];
afterEach(async () => {
  for (const journal of opened.splice(0)) await journal.close().catch(() => undefined);
});

const journalPath = () => join(mkdtempSync(join(tmpdir(), 'settled-journal-')), 'queues-and-events.journal');

/** Opens the journal at `path` as a runtime start does: replayed, compacted, appending. */
const openJournal = async (path: string, compactAfterRecords = 20_000) => {
  const result = await Journal.open(path, liveRecords, { compactAfterRecords });
  opened.push(result.journal);
  return result;
};

/** A queue pair wired to `journal`, restored from `live`, as the runtime builds them. */
const queuesOn = (journal: Journal, live: readonly JournalRecord[], visibilityTimeoutMs = 1_000) => {
  const restoredOf = (name: string) => live.filter((record): record is SentRecord => record.t === 'sent' && record.queue === name);
  const dlq = new LocalQueue({ name: 'q-dlq', visibilityTimeoutMs, maxReceiveCount: undefined, deadLetterQueue: undefined, journal, restored: restoredOf('q-dlq') });
  const queue = new LocalQueue({ name: 'q', visibilityTimeoutMs, maxReceiveCount: 2, deadLetterQueue: dlq, journal, restored: restoredOf('q') });
  journal.setSnapshotProvider(() => [...queue.snapshot(), ...dlq.snapshot()]);
  return { queue, dlq };
};

describe('the queue journal', () => {
  it('gives back, after a crash, every message whose send was synced, and none that was deleted', async () => {
    // Prepare
    const path = journalPath();
    const before = await openJournal(path);
    const { queue } = queuesOn(before.journal, before.live);
    queue.send('kept-1');
    queue.send('processed');
    queue.send('kept-2');
    const [, processed] = queue.receive(2);
    queue.delete(processed?.receiptHandle ?? '');
    await queue.sync();
    // Act: the process dies without closing anything; a new start opens the same file.
    const after = await openJournal(path);
    const { queue: reopened } = queuesOn(after.journal, after.live);
    // Assess
    expect(reopened.peekAll().map((message) => message.body)).toEqual(['kept-1', 'kept-2']);
    expect(reopened.receive(10).map((record) => record.body)).toEqual(['kept-1', 'kept-2']);
  });

  it('keeps a delay as an absolute due time across a restart', async () => {
    const path = journalPath();
    const before = await openJournal(path);
    const sentAt = Date.now();
    queuesOn(before.journal, before.live).queue.send('settles later', sentAt, 60_000);
    await before.journal.sync();

    const after = await openJournal(path);
    const { queue } = queuesOn(after.journal, after.live);
    expect(queue.receive(10, sentAt + 59_999)).toEqual([]);
    expect(queue.receive(10, sentAt + 60_000).map((record) => record.body)).toEqual(['settles later']);
  });

  it('makes a message that was in flight receivable at once after a restart, with its receive count kept', async () => {
    const path = journalPath();
    const before = await openJournal(path);
    const { queue } = queuesOn(before.journal, before.live, 60_000);
    queue.send('in flight');
    expect(queue.receive(1)).toHaveLength(1);
    await queue.sync();

    const after = await openJournal(path);
    const [again] = queuesOn(after.journal, after.live, 60_000).queue.receive(1);
    expect(again).toMatchObject({ body: 'in flight', attributes: { ApproximateReceiveCount: '2' } });
  });

  it('keeps dead letters, and a message moved to the dead-letter queue is no longer in its queue', async () => {
    const path = journalPath();
    const before = await openJournal(path);
    const { queue } = queuesOn(before.journal, before.live);
    queue.send('poison', 0);
    queue.receive(1, 0);
    queue.receive(1, 1_000);
    expect(queue.receive(1, 2_000)).toEqual([]); // third receive: moved to the DLQ
    await queue.sync();

    const after = await openJournal(path);
    const restored = queuesOn(after.journal, after.live);
    expect(restored.queue.size).toBe(0);
    expect(restored.dlq.peekAll().map((message) => message.body)).toEqual(['poison']);
  });

  it('reads past a last line torn by a crash, and counts it', async () => {
    const path = journalPath();
    const before = await openJournal(path);
    queuesOn(before.journal, before.live).queue.send('whole');
    await before.journal.sync();
    appendFileSync(path, '{"t":"sent","queue":"q","id":"torn","bo');

    const after = await openJournal(path);
    expect(after.unreadable).toBe(1);
    expect(queuesOn(after.journal, after.live).queue.peekAll().map((message) => message.body)).toEqual(['whole']);
  });

  it('groups the records of one tick into a single write, each sync resolving once they are on disk', async () => {
    const path = journalPath();
    const { journal, live } = await openJournal(path);
    const { queue } = queuesOn(journal, live);
    const synced = Array.from({ length: 100 }, (_, index) => {
      queue.send(`m${index}`);
      return queue.sync();
    });
    await Promise.all(synced);
    expect(readJournal(path).records.filter((record) => record.t === 'sent')).toHaveLength(100);
  });

  it('compacts on open to what is live', async () => {
    const path = journalPath();
    const before = await openJournal(path);
    const { queue } = queuesOn(before.journal, before.live);
    for (let index = 0; index < 50; index += 1) queue.send(`m${index}`);
    for (const record of queue.receive(10).concat(queue.receive(10))) queue.delete(record.receiptHandle);
    queue.send('last');
    await queue.sync();
    expect(readJournal(path).records.length).toBeGreaterThan(50);

    await openJournal(path);
    const { records } = readJournal(path);
    expect(records).toHaveLength(31);
    expect(records.every((record) => record.t === 'sent')).toBe(true);
  });

  it('compacts while running once the history outgrows what is live, without losing a message', async () => {
    // Prepare
    const path = journalPath();
    const { journal, live } = await openJournal(path, 100);
    const { queue } = queuesOn(journal, live);
    // Act: 400 messages through the queue (1 200 records), 5 left behind
    for (let index = 0; index < 400; index += 1) {
      queue.send(`m${index}`);
      if (index < 395) for (const record of queue.receive(1)) queue.delete(record.receiptHandle);
      await queue.sync();
    }
    // Assess
    const { records } = readJournal(path);
    expect(records.length).toBeLessThan(400);
    expect(liveRecords(records).map((record) => (record.t === 'sent' ? record.body : record.t))).toEqual(['m395', 'm396', 'm397', 'm398', 'm399']);
    expect(statSync(path).size).toBeLessThan(40_000);
  });

  it('refuses to confirm anything after it is closed', async () => {
    const { journal } = await openJournal(journalPath());
    await journal.close();
    await expect(journal.sync()).rejects.toThrow(/closed/);
  });
});

describe('the event journal', () => {
  const rule = (name: string, retryAttempts = 3): EventRule => ({ name, detailTypes: ['payment.settled'], target: 'health', retryAttempts, maxEventAgeSeconds: 60 });
  const busOn = (journal: Journal, live: readonly JournalRecord[], targets: Record<string, () => Promise<unknown>>) => {
    const deadLetters = new LocalQueue({ name: 'rule-dlq', visibilityTimeoutMs: 10, maxReceiveCount: undefined, deadLetterQueue: undefined, journal });
    const bus = new LocalEventBus({
      rules: [rule('cash-position'), rule('tenant-callbacks')],
      targetOf: (r) => targets[r.name] ?? (async () => undefined),
      deadLetterQueueOf: () => deadLetters,
      retryBaseDelayMs: 60_000,
      onError: () => undefined,
      journal,
      restored: live.filter((record) => record.t === 'event' || record.t === 'attempted'),
    });
    journal.setSnapshotProvider(() => bus.snapshot());
    return bus;
  };

  it('delivers again after a restart an event a rule had not taken, only to that rule, with its retry count', async () => {
    // Prepare: cash-position takes the event; tenant-callbacks fails once and waits a minute to retry.
    const path = journalPath();
    const before = await openJournal(path);
    const first = busOn(before.journal, before.live, { 'tenant-callbacks': async () => Promise.reject(new Error('down')) });
    first.put({ source: 'settled', detailType: 'payment.settled', detail: '{"paymentId":"pay_1"}' });
    await first.sync();
    await new Promise((resolveWait) => setTimeout(resolveWait, 20));
    first.stop();
    await first.sync();
    // Act
    const after = await openJournal(path);
    const second = busOn(after.journal, after.live, {});
    // Assess
    expect(second.pendingDeliveries).toBe(1);
    expect(after.live).toContainEqual(expect.objectContaining({ t: 'attempted', rule: 'tenant-callbacks', attempts: 1 }));
    expect(after.live).toContainEqual(expect.objectContaining({ t: 'event', rules: ['tenant-callbacks'], event: expect.objectContaining({ detail: { paymentId: 'pay_1' } }) }));
    second.stop();
  });

  it('forgets an event once every rule has taken it', async () => {
    const path = journalPath();
    const before = await openJournal(path);
    const bus = busOn(before.journal, before.live, {});
    bus.put({ source: 'settled', detailType: 'payment.settled', detail: '{}' });
    await bus.idle();
    await bus.sync();
    expect(liveRecords(readJournal(path).records)).toEqual([]);
  });

  it('resumes restored deliveries only when told, and then delivers them', async () => {
    const path = journalPath();
    const before = await openJournal(path);
    const stopped = busOn(before.journal, before.live, {});
    stopped.stop(); // no attempt starts: the event is put but never delivered
    stopped.put({ source: 'settled', detailType: 'payment.settled', detail: '{"n":1}' });
    await stopped.sync();

    const after = await openJournal(path);
    const delivered: string[] = [];
    const bus = busOn(after.journal, after.live, {
      'cash-position': async () => delivered.push('cash-position'),
      'tenant-callbacks': async () => delivered.push('tenant-callbacks'),
    });
    await bus.idle();
    expect(delivered).toEqual([]);
    bus.resume();
    await bus.idle();
    expect(delivered.sort()).toEqual(['cash-position', 'tenant-callbacks']);
    await bus.sync();
    expect(liveRecords(readJournal(path).records)).toEqual([]);
    expect(readFileSync(path, 'utf8')).toContain('"t":"delivered"');
  });
});
