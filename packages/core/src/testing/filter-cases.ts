import type { Filter } from '../filter'
import type { Metadata } from '../types'

/**
 * Metadata of the filter fixture. Each record probes one corner of the documented semantics:
 * strict types ('5' vs 5, true vs 1), null vs missing, arrays (any element; nested arrays and
 * objects never match), dotted paths through scalars, literal dots in keys, hostile key names.
 */
export const FILTER_FIXTURE: Record<string, Metadata | undefined> = {
  f1: {
    genre: 'drama',
    year: 1999,
    rating: 4.5,
    tags: ['award', 'classic'],
    author: { country: 'FR', name: 'Ann' },
    active: true,
    n: 5,
  },
  f2: {
    genre: 'comedy',
    year: 2005,
    rating: 3,
    tags: ['funny'],
    author: { country: 'US' },
    active: false,
    n: '5',
  },
  f3: {
    genre: 'drama',
    year: 2010,
    tags: [],
    author: { country: 'BE', city: { name: 'Gent' } },
    active: 1,
    n: 0,
  },
  f4: { genre: null, year: '1999', note: null, n: -0.5 },
  f5: undefined,
  f6: { genre: 'doc', year: 1985, tags: ['x', ['award'], { k: 'award' }], author: 'FR', active: true },
  f7: { genre: 'horror', year: 2020, rating: -1, tags: [null, 'award', 7], mixed: [1, '1', true] },
  f8: { flag: true, n: 1, 'dotted.key': 1 },
  f9: { genre: 'Drama', year: 1999.5, 'x"; DROP TABLE t; --': "a'--", deep: { a: { b: { c: { d: 1 } } } } },
}

const ALL = Object.keys(FILTER_FIXTURE)
const but = (...ids: string[]) => ALL.filter((id) => !ids.includes(id))

/** One group of filter cases: `[filter, ids it must match]`. */
export interface FilterGroup {
  name: string
  cases: [Filter, string[]][]
}

/** The filter language's semantics as a table; every backend must return exactly these ids. */
export const FILTER_GROUPS: FilterGroup[] = [
  {
    name: '$eq and $ne (shorthand, case-sensitive, complement includes missing keys)',
    cases: [
      [{}, ALL],
      [{ genre: 'drama' }, ['f1', 'f3']],
      [{ genre: { $eq: 'drama' } }, ['f1', 'f3']],
      [{ genre: { $ne: 'drama' } }, but('f1', 'f3')],
      [{ year: { $ne: 1999 } }, but('f1')],
      [{ genre: { $eq: 'drama', $ne: 'comedy' } }, ['f1', 'f3']],
      [{ genre: 'drama', 'author.country': 'BE' }, ['f3']],
    ],
  },
  {
    name: 'range operators ($gt $gte $lt $lte) on numbers only',
    cases: [
      [{ year: { $gt: 1999 } }, ['f2', 'f3', 'f7', 'f9']],
      [{ year: { $gte: 1999 } }, ['f1', 'f2', 'f3', 'f7', 'f9']],
      [{ year: { $lt: 1999 } }, ['f6']],
      [{ year: { $lte: 1999 } }, ['f1', 'f6']],
      [{ year: { $gte: 1990, $lt: 2006 } }, ['f1', 'f2', 'f9']],
      [{ rating: { $gte: 3, $lte: 4.5 } }, ['f1', 'f2']],
      [{ rating: { $lt: 0 } }, ['f7']],
      [{ n: { $gt: -1 } }, ['f1', 'f3', 'f4', 'f8']],
      [{ genre: { $gt: 0 } }, []],
    ],
  },
  {
    name: '$in and $nin, including empty lists and null',
    cases: [
      [{ genre: { $in: ['drama', 'doc'] } }, ['f1', 'f3', 'f6']],
      [{ genre: { $nin: ['drama', 'doc'] } }, but('f1', 'f3', 'f6')],
      [{ genre: { $in: [] } }, []],
      [{ genre: { $nin: [] } }, ALL],
      [{ genre: { $in: [null, 'doc'] } }, ['f4', 'f6']],
      [{ genre: { $nin: [null] } }, but('f4')],
      [{ year: { $not: { $in: [1999, 2005] } } }, but('f1', 'f2')],
    ],
  },
  {
    name: '$exists and null (null is a value, missing is not)',
    cases: [
      [{ genre: { $exists: true } }, ['f1', 'f2', 'f3', 'f4', 'f6', 'f7', 'f9']],
      [{ genre: { $exists: false } }, ['f5', 'f8']],
      [{ genre: null }, ['f4']],
      [{ genre: { $ne: null } }, but('f4')],
      [{ note: null }, ['f4']],
      [{ note: { $exists: true } }, ['f4']],
      [{ tags: { $exists: true } }, ['f1', 'f2', 'f3', 'f6', 'f7']],
    ],
  },
  {
    name: 'arrays match when any scalar element matches',
    cases: [
      [{ tags: 'award' }, ['f1', 'f7']],
      [{ tags: { $in: ['funny', 'x'] } }, ['f2', 'f6']],
      [{ tags: { $ne: 'award' } }, but('f1', 'f7')],
      [{ tags: null }, ['f7']],
      [{ tags: { $gt: 5 } }, ['f7']],
      [{ $and: [{ tags: 'award' }, { tags: 'classic' }] }, ['f1']],
      [{ mixed: 1 }, ['f7']],
      [{ mixed: '1' }, ['f7']],
      [{ mixed: true }, ['f7']],
      [{ mixed: { $nin: [1] } }, but('f7')],
    ],
  },
  {
    name: 'dotted paths walk objects only',
    cases: [
      [{ 'author.country': 'FR' }, ['f1']],
      [{ 'author.country': { $exists: false } }, but('f1', 'f2', 'f3')],
      [{ 'author.city.name': 'Gent' }, ['f3']],
      [{ 'deep.a.b.c.d': { $gte: 1 } }, ['f9']],
      [{ author: 'FR' }, ['f6']],
      [{ 'dotted.key': 1 }, []],
      [{ 'tags.0': 'award' }, []],
    ],
  },
  {
    name: 'types are strict: 5 is not "5", true is not 1, 0 is -0',
    cases: [
      [{ n: 5 }, ['f1']],
      [{ n: '5' }, ['f2']],
      [{ n: { $in: [5] } }, ['f1']],
      [{ active: true }, ['f1', 'f6']],
      [{ active: 1 }, ['f3']],
      [{ n: true }, []],
      [{ year: '1999' }, ['f4']],
      [{ n: -0 }, ['f3']],
      [{ n: -0.5 }, ['f4']],
    ],
  },
  {
    name: 'logical operators and field-level $not',
    cases: [
      [{ $and: [{ genre: 'drama' }, { year: { $gt: 2000 } }] }, ['f3']],
      [{ $or: [{ genre: 'comedy' }, { rating: { $lt: 0 } }] }, ['f2', 'f7']],
      [{ $not: { genre: 'drama' } }, but('f1', 'f3')],
      [{ year: { $not: { $gt: 2000 } } }, but('f2', 'f3', 'f7')],
      [
        { $or: [{ $and: [{ genre: 'drama' }, { active: true }] }, { $not: { year: { $exists: true } } }] },
        ['f1', 'f5', 'f8'],
      ],
      [{ $not: { $or: [{ genre: 'drama' }, { genre: 'comedy' }] } }, but('f1', 'f2', 'f3')],
      [{ $not: { $not: { genre: 'doc' } } }, ['f6']],
      [{ $and: [{ $or: [{ n: 5 }, { n: 0 }] }, { $or: [{ active: true }, { active: 1 }] }] }, ['f1', 'f3']],
    ],
  },
  {
    name: 'hostile keys and values are data, not code',
    cases: [
      [{ 'x"; DROP TABLE t; --': "a'--" }, ['f9']],
      [{ genre: "drama' OR '1'='1" }, []],
      [{ "a'--": { $exists: false } }, ALL],
      [{ 'x"; DROP TABLE t; --': { $in: ["a'--", '%'] } }, ['f9']],
      [{ genre: '%' }, []],
      [{ genre: 'dram_' }, []],
    ],
  },
]
