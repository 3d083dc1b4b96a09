// The layering the code review asked for (issue 12 item 8), checked on the sources so it cannot erode.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { it } from 'node:test';

const source = (folder: string) => readdirSync(new URL(`../../src/${folder}/`, import.meta.url), { recursive: true, encoding: 'utf8' })
  .filter((name) => name.endsWith('.ts'))
  .map((name) => ({ name: `${folder}/${name}`, text: readFileSync(new URL(`../../src/${folder}/${name}`, import.meta.url), 'utf8') }));

const importsOf = (text: string) => [...text.matchAll(/^import [^;]*? from '([^']+)'/gms)].map((match) => match[1]);

it('keeps http/ from importing ui/, and the layers below from importing either', () => {
  for (const [folder, refused] of [['http', /\/ui\//], ['schemas', /\/(ui|http)\//], ['services', /\/(ui|http)\//], ['store', /\/(ui|http|services)\//], ['domain', /\/(ui|http|services|store)\//]] as const) {
    for (const file of source(folder)) {
      const bad = importsOf(file.text).filter((path) => refused.test(path));
      assert.deepEqual(bad, [], `${file.name} imports ${bad.join(', ')}`);
    }
  }
});

it('logs from the store through the injected logger, never the console', () => {
  for (const file of source('store')) assert.doesNotMatch(file.text, /console\./, `${file.name} writes to the console`);
});
