import { performance } from 'node:perf_hooks';
import { writeBankFiles } from '../../lambdas/adapters/bank-file-writer.ts';
import { S3MultipartWritable } from '../../lambdas/adapters/exports-store.ts';
import { fieldCrypto } from '../../lambdas/adapters/field-crypto.ts';
import { accountNumberForBankFile } from '../../lambdas/app/finance.ts';
import { payoutAccountContext } from '../../lambdas/core/payout-account.ts';
import { type BankRow, bankRow, type Payout } from '../../lambdas/core/finance.ts';

/**
 * One payment batch of BENCH_PAYOUTS payouts (default 1,000,000) through the production writer:
 * bank rows → csv-stringify and exceljs' streaming WorkbookWriter → S3 multipart uploads (the local
 * S3 stand-in). Only the DynamoDB pages are replaced by generated payouts. Run in its own process
 * by run.ts so that its peak RSS is the writer's alone; prints one JSON line.
 */
const N = Number(process.env.BENCH_PAYOUTS ?? 1_000_000);
const BANKS = ['Vietcombank', 'Techcombank', 'BIDV', 'VietinBank', 'MB Bank', 'ACB'];
const NAMES = ['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Hoàng Chi', 'Phạm Minh Dũng', 'Đỗ Thu Hà'];

async function* rows(): AsyncGenerator<BankRow> {
  const queuedAt = '2026-12-01T03:00:00.000Z';
  for (let i = 0; i < N; i++) {
    const claimId = `01JBENCH${String(i).padStart(18, '0')}`;
    const p: Payout = {
      payoutId: claimId,
      claimId,
      claimNumber: `BT-2026-${String(i % 1_000_000).padStart(6, '0')}`,
      kind: 'final',
      amount: 1_000_000 + ((i * 7919) % 90_000_000),
      interest: 0,
      currency: 'VND',
      // Sealed as QueuePayment stores it (one data key per 1,000 seals, as in production), so the
      // rate includes opening each number for the bank file, and sealing it first.
      account: {
        bankName: BANKS[i % BANKS.length] as string,
        accountHolder: NAMES[i % NAMES.length] as string,
        accountMask: `•••• ${String(i).padStart(4, '0').slice(-4)}`,
        accountNumberSealed: await fieldCrypto().seal(
          String(10_000_000_000 + i),
          payoutAccountContext(claimId),
        ),
      },
      queuedAt,
      date: '2026-12-01',
      status: 'batched',
      batchId: 'PB-20261201-000000000000',
    };
    yield bankRow(p, i + 1, await accountNumberForBankFile(p));
  }
}

const key = `exports/bench/${Date.now()}`;
const csv = new S3MultipartWritable(`${key}.csv`, 'text/csv');
const xlsx = new S3MultipartWritable(
  `${key}.xlsx`,
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
);
const t0 = performance.now();
const totals = await writeBankFiles(rows(), { csv, xlsx });
const seconds = (performance.now() - t0) / 1000;
const usage = process.resourceUsage();
console.log(
  JSON.stringify({
    rows: totals.count,
    seconds: Math.round(seconds * 10) / 10,
    rowsPerSecond: Math.round(totals.count / seconds),
    peakRssMB: Math.round(usage.maxRSS / 1024),
    csvMB: Math.round(csv.bytes / 1024 / 1024),
    xlsxMB: Math.round(xlsx.bytes / 1024 / 1024),
  }),
);
