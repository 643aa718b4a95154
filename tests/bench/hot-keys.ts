/**
 * Hot keys on paper: a model of the write and read load that claim traffic puts on each DynamoDB
 * partition key, for today's key design and for the sharded design in docs/scaling.md. DynamoDB
 * serves at most 1,000 WCU/s and 3,000 RCU/s per partition key value (adaptive capacity can isolate
 * a hot key on its own partition, never beyond that), and a GSI throttled on one key value slows
 * down the base-table writes that feed it.
 */
export const PARTITION_WCU_PER_S = 1000;
export const PARTITION_RCU_PER_S = 3000;

/** One claim save: the status it is saved in, and whether the save moves it to a new status. */
export interface Save {
  status: string;
  /** The save changes the status: its queue entry moves (delete in the old, put in the new). */
  from?: string;
}

export interface Design {
  /** Status queue (GSI2) entries spread over this many keys per status (`STATUS#<s>#<shard>`). */
  statusShards: number;
  /** Claim numbers taken from the counter this many at a time (one ADD per block). */
  numberBlock: number;
  /** Staff list read by auto-assignment: one partition (`STAFF`) or one per role. */
  staffByRole: boolean;
  /** Each function instance keeps the staff list this long (0: read on every assignment). */
  staffCacheSeconds: number;
  /**
   * Powertools idempotency records: in the claims table under its one static partition key
   * (`IDEMPOTENCY`, what Powertools does when the table has a sort key), or in a table of their
   * own keyed by the request's hash alone (Powertools' default layout), which spreads them.
   */
  idempotencyOwnTable: boolean;
}

export const TODAY: Design = {
  statusShards: 1,
  numberBlock: 1,
  staffByRole: false,
  staffCacheSeconds: 0,
  idempotencyOwnTable: false,
};
export const SHARDED: Design = {
  statusShards: 10,
  numberBlock: 50,
  staffByRole: true,
  staffCacheSeconds: 30,
  idempotencyOwnTable: true,
};

export interface Workload {
  /** Claim item size in KB (a GSI with ALL projection writes the whole item). */
  claimKb: number;
  /** The saves one claim goes through on its path. */
  saves: readonly Save[];
  /** Staff profiles and their size (KB): what "staff by role" reads on each assignment. */
  staff: number;
  staffKb: number;
  /** Share of the staff that hold the role being assigned (adjusters), with staffByRole. */
  roleShare: number;
  /** Concurrent instances of the assigning function (each caches on its own). */
  instances: number;
  /**
   * Size (KB) of a submission's idempotency record once completed: it holds the response (the
   * claim summary). Each submission writes it twice: put "in progress", update "completed".
   */
  idempotencyKb: number;
}

/** A straight-through motor claim's saves as the workflow performs them (one row per claim write). */
export const STRAIGHT_THROUGH: readonly Save[] = [
  { status: 'SUBMITTED' }, // filed
  { status: 'SUBMITTED' }, // deadlines planned (stream processor)
  // checked, scored, classified (reserve set) and assigned: CheckClaim, one write
  { status: 'UNDER_ASSESSMENT', from: 'SUBMITTED' },
  { status: 'UNDER_ASSESSMENT' }, // documents verified
  { status: 'ASSESSED', from: 'UNDER_ASSESSMENT' }, // assessed by rule
  { status: 'APPROVED', from: 'ASSESSED' },
  { status: 'PAYMENT_QUEUED', from: 'APPROVED' },
  { status: 'PAID', from: 'PAYMENT_QUEUED' },
];

export interface KeyLoad {
  key: string;
  wcuPerClaim: number;
  rcuPerClaim: number;
  /** Claims per second at which this key reaches its partition limit. */
  claimsPerSecondAtLimit: number;
}

const wcu = (kb: number) => Math.ceil(kb);
/** Eventually consistent Query: 4 KB per RCU, halved. */
const queryRcu = (kb: number) => Math.ceil(kb / 4) / 2;

/** Load per claim on each hot key, and the claim rate at which each one throttles. */
export function hotKeyLoads(design: Design, load: Workload): KeyLoad[] {
  const status = new Map<string, number>();
  const add = (s: string, w: number) => status.set(s, (status.get(s) ?? 0) + w);
  for (const save of load.saves) {
    add(save.status, wcu(load.claimKb));
    if (save.from) add(save.from, 1); // removing the old queue entry
  }
  const keys: KeyLoad[] = [];
  for (const [s, w] of status) {
    // A claim's shard is fixed (hash of its id), so each shard takes 1/shards of the claims.
    const perKey = w / design.statusShards;
    keys.push({
      key: design.statusShards > 1 ? `STATUS#${s}#<shard>` : `STATUS#${s}`,
      wcuPerClaim: perKey,
      rcuPerClaim: 0,
      claimsPerSecondAtLimit: PARTITION_WCU_PER_S / perKey,
    });
  }
  const counter = 1 / design.numberBlock;
  keys.push({
    key: 'COUNTER#CLAIMNO#<year>',
    wcuPerClaim: counter,
    rcuPerClaim: 0,
    claimsPerSecondAtLimit: PARTITION_WCU_PER_S / counter,
  });
  // One submission per claim: the in-progress put (under 1 KB) and the completing update (the whole record).
  const idempotency = 1 + wcu(load.idempotencyKb);
  keys.push({
    key: design.idempotencyOwnTable ? '<hash> (idempotency table)' : 'IDEMPOTENCY',
    wcuPerClaim: design.idempotencyOwnTable ? 0 : idempotency,
    rcuPerClaim: 0,
    // Keyed by the request's hash, each record is its own partition key: no key is hot.
    claimsPerSecondAtLimit: design.idempotencyOwnTable
      ? Number.POSITIVE_INFINITY
      : PARTITION_WCU_PER_S / idempotency,
  });
  const staffRead = queryRcu(load.staff * load.staffKb * (design.staffByRole ? load.roleShare : 1));
  // Cached: the key sees instances × one read per cache period, whatever the claim rate.
  const cachedReadsPerSecond =
    design.staffCacheSeconds > 0 ? (load.instances * staffRead) / design.staffCacheSeconds : 0;
  keys.push({
    key: design.staffByRole ? 'STAFF#<role>' : 'STAFF',
    wcuPerClaim: 0,
    rcuPerClaim: design.staffCacheSeconds > 0 ? 0 : staffRead,
    claimsPerSecondAtLimit:
      design.staffCacheSeconds > 0
        ? cachedReadsPerSecond < PARTITION_RCU_PER_S
          ? Number.POSITIVE_INFINITY
          : 0
        : PARTITION_RCU_PER_S / staffRead,
  });
  return keys.sort((a, b) => a.claimsPerSecondAtLimit - b.claimsPerSecondAtLimit);
}

/** The claim rate the design sustains: the first key to reach its limit. */
export const sustainedClaimsPerSecond = (design: Design, load: Workload): number =>
  Math.min(...hotKeyLoads(design, load).map((k) => k.claimsPerSecondAtLimit));

/**
 * Second by second, how many claim requests a burst of `claimsPerSecond` gets through when every
 * key is held to its limit: the simulation the scaling note's table is checked against.
 */
export function simulateBurst(design: Design, load: Workload, claimsPerSecond: number, seconds: number) {
  const keys = hotKeyLoads(design, load);
  let served = 0;
  let throttled = 0;
  for (let t = 0; t < seconds; t++) {
    // The rate each key lets through this second; a claim needs every key on its path.
    const allowed = Math.min(claimsPerSecond, ...keys.map((k) => k.claimsPerSecondAtLimit));
    served += Math.floor(allowed);
    throttled += claimsPerSecond - Math.floor(allowed);
  }
  return { served, throttled, bottleneck: keys[0]?.key ?? '' };
}

/** The sharded design's shard of a claim: FNV-1a of its id, fixed for the claim's life. */
export function shardOf(claimId: string, shards: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < claimId.length; i++) {
    h ^= claimId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % shards;
}

/**
 * Number blocks: each function instance takes `block` numbers with one atomic ADD on the counter
 * and hands them out itself. Numbers stay unique; an instance that ends with part of its block
 * unused leaves a gap (claim numbers are references, not invoice numbers, so gaps are allowed).
 */
export class NumberBlocks {
  private counter = 0;
  constructor(private readonly block: number) {}
  /** The atomic `ADD :block` on the counter item; returns the block's last number. */
  private take(): number {
    this.counter += this.block;
    return this.counter;
  }
  counterWrites = 0;
  instance() {
    let next = 0;
    let last = -1;
    return {
      nextNumber: (): number => {
        if (next > last) {
          last = this.take();
          this.counterWrites++;
          next = last - this.block + 1;
        }
        return next++;
      },
    };
  }
}
