import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../../../scripts/lib/nannyml_car_loan_csv.py', import.meta.url));
const DATA = 'nannyml/datasets/data/';

/** The three files as the nannyml wheel ships them (two rows each), and one unrelated file. */
const files: Record<string, string> = {
  [`${DATA}synthetic_car_loan_reference.csv`]: [
    'id,car_value,salary_range,debt_to_income_ratio,loan_length,repaid_loan_on_prev_car,size_of_downpayment,driver_tenure,repaid,timestamp,y_pred_proba,y_pred',
    '0,39811.0,40K - 60K €,0.6329502188904286,19.0,False,40%,0.2126532961066545,1.0,2018-01-01 00:00:00.000,0.99,1',
    '1,12679.0,40K - 60K €,0.7186267931405097,7.0,True,10%,4.927548590930047,0.0,2018-01-01 00:08:43.152,0.07,0',
  ].join('\n'),
  [`${DATA}synthetic_car_loan_analysis.csv`]: [
    'id,car_value,salary_range,debt_to_income_ratio,loan_length,repaid_loan_on_prev_car,size_of_downpayment,driver_tenure,timestamp,y_pred_proba,y_pred',
    '50000,12638.0,0 - 20K €,0.4879263073031473,21.0,False,10%,4.224627596290295,2018-10-30 18:00:00.000,0.99,1',
    '50001,52425.0,20K - 40K €,0.6721834686006466,20.0,True,40%,4.963102897846603,2018-10-30 18:08:43.152,0.2,0',
  ].join('\n'),
  // Targets in another order than the analysis rows: joined on id, not by position.
  [`${DATA}synthetic_car_loan_analysis_target.csv`]: ['id,repaid', '50001,0', '50000,1'].join('\n'),
  [`${DATA}titanic_reference.csv`]: 'not,read\n',
};

const dir = mkdtempSync(join(tmpdir(), 'nannyml-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the NannyML car-loan CSV from the wheel (scripts/lib/nannyml_car_loan_csv.py)', () => {
  it('joins reference, analysis and targets the way the pandas export did: ISO timestamps, 0/1, period, column order', () => {
    const wheel = join(dir, 'nannyml-0.0.0-py3-none-any.whl');
    const out = join(dir, 'out', 'car-loan.csv');
    // A wheel is a zip: written with Python's zipfile, which the script reads it with.
    execFileSync('python3', [
      '-c',
      'import json, sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], "w") as z:\n  [z.writestr(k, v) for k, v in json.loads(sys.argv[2]).items()]',
      wheel,
      JSON.stringify(files),
    ]);
    const printed = execFileSync('python3', [SCRIPT, wheel, out], { encoding: 'utf8' });
    expect(printed).toBe(`wrote 4 rows to ${out}\n`);
    expect(readFileSync(out, 'utf8')).toBe(
      [
        'timestamp,id,period,car_value,salary_range,debt_to_income_ratio,loan_length,repaid_loan_on_prev_car,size_of_downpayment,driver_tenure,repaid,y_pred_proba,y_pred',
        '2018-01-01T00:00:00.000000Z,0,reference,39811.0,40K - 60K €,0.6329502188904286,19.0,0,40%,0.2126532961066545,1,0.99,1',
        '2018-01-01T00:08:43.152000Z,1,reference,12679.0,40K - 60K €,0.7186267931405097,7.0,1,10%,4.927548590930047,0,0.07,0',
        '2018-10-30T18:00:00.000000Z,50000,analysis,12638.0,0 - 20K €,0.4879263073031473,21.0,0,10%,4.224627596290295,1,0.99,1',
        '2018-10-30T18:08:43.152000Z,50001,analysis,52425.0,20K - 40K €,0.6721834686006466,20.0,1,40%,4.963102897846603,0,0.2,0',
        '',
      ].join('\n'),
    );
  });
});
