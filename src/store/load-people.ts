import { errorMessage, UsageError } from '../kernel/errors.js';
import type { Store } from './db.js';
import { readTextInput, TextEncodingError } from '../kernel/text-input.js';

/** A roster of the people who currently work here: emails or usernames, lower-cased. */
export interface PeopleRoster {
  /** Where it came from (`--people FILE`, or `registry:<file>` for issue 6's registry). */
  source: string;
  people: string[];
}

/**
 * Read a `--people FILE`: one email or username per line; blank lines and `#` comments are
 * ignored. A file that cannot be read, holds no one, or has a line that is not one name is a
 * usage error naming the file (an empty roster would make every owner look departed).
 */
export function readPeopleFile(file: string): PeopleRoster {
  let text: string;
  try {
    text = readTextInput(file);
  } catch (e) {
    if (e instanceof TextEncodingError) throw new UsageError(`--people ${file}: ${e.message}`);
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`--people ${file}: ${code === 'ENOENT' ? 'no such file' : `cannot read (${errorMessage(e)})`}`);
  }
  const people: string[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const entry = (lines[i] ?? '').replace(/#.*$/, '').trim();
    if (entry === '') continue;
    if (!/^[^\s,;"'{}[\]<>]+$/.test(entry)) {
      throw new UsageError(`--people ${file}: line ${i + 1} is not one email or username ("${entry.slice(0, 40)}"); expected one per line`);
    }
    people.push(entry.toLowerCase());
  }
  if (people.length === 0) throw new UsageError(`--people ${file}: no people listed (one email or username per line)`);
  return { source: file, people: [...new Set(people)].sort() };
}

/** Put a roster into the `people` table (the pipeline and the registry both feed it). */
export async function loadPeople(store: Store, runId: string, roster: PeopleRoster): Promise<number> {
  return store.append('people', ['run_id', 'source', 'person'], roster.people.map((p) => [runId, roster.source, p]));
}
