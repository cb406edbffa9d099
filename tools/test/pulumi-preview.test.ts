import {
  countsFromDigest,
  countsFromSummary,
  parseDiffSummary,
  parsePreviewJson,
  renderSteps,
  shortUrn,
  totalChanges,
} from '../src/ci/pulumi-preview';
import { digest } from './helpers/fake-pulumi';

describe('pulumi preview parsing', () => {
  it('counts changes from changeSummary, folding replacement halves into replace', () => {
    expect(
      countsFromSummary({
        create: 2,
        update: 1,
        same: 7,
        replace: 1,
        'create-replacement': 1,
        'delete-replaced': 1,
        read: 3,
      }),
    ).toEqual({
      create: 2,
      update: 1,
      delete: 0,
      replace: 1,
      same: 7,
      other: 3,
    });
  });

  it('counts from steps when there is no changeSummary', () => {
    const { steps } = digest('tgw', { create: 2, replace: 1, same: 1 });
    const counts = countsFromDigest({ steps });
    expect(counts).toMatchObject({ create: 2, replace: 1, same: 1 });
    expect(totalChanges(counts)).toBe(3);
  });

  it('tolerates text before the JSON document and names what it got otherwise', () => {
    expect(
      parsePreviewJson(`warning: something\n${JSON.stringify({ changeSummary: { same: 1 } })}`).changeSummary,
    ).toEqual({ same: 1 });
    expect(() => parsePreviewJson('error: could not load plugin')).toThrow(
      /did not print JSON: error: could not load plugin/,
    );
  });

  it('parses the Resources block of `pulumi preview --diff`', () => {
    const text = [
      'Previewing update (prod)',
      '    ~ aws:ec2/route:Route default update [diff: ~tags]',
      'Resources:',
      '    + 2 to create',
      '    ~ 1 to update',
      '    - 3 to delete',
      '    +-1 to replace',
      '    7 changes. 12 unchanged',
      '',
      'Duration: 3s',
    ].join('\n');
    expect(parseDiffSummary(text)).toMatchObject({ create: 2, update: 1, delete: 3, replace: 1 });
    expect(parseDiffSummary('    12 unchanged')).toBeUndefined();
    expect(parseDiffSummary('Resources:\n    5 unchanged\n')).toMatchObject({ same: 5, create: 0 });
  });

  it('shortens URNs to type::name', () => {
    expect(
      shortUrn(
        'urn:pulumi:prod::tgw::hubspoke:TransitHub$aws:ec2transitgateway/routeTable:RouteTable::spoke-rt',
      ),
    ).toBe('aws:ec2transitgateway/routeTable:RouteTable::spoke-rt');
  });

  it('renders changing steps with the properties that drive them, skipping unchanged ones', () => {
    const text = renderSteps({
      ...digest('tgw', { create: 1, update: 1, replace: 1, same: 4 }),
      diagnostics: [
        { message: 'quota close to the limit\n', severity: 'warning' },
        { message: 'debug noise', severity: 'debug' },
      ],
    });
    expect(text.split('\n')).toEqual([
      '+ aws:ec2/route:Route::tgw-create-0',
      '~ aws:ec2/route:Route::tgw-update-0',
      '    ~ tags.hubspoke:env',
      '+- aws:ec2/route:Route::tgw-replace-0',
      '    ~ cidrBlock (forces replacement)',
      '? warning: quota close to the limit',
    ]);
  });
});
