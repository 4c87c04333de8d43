// How the query service reads the correlator's tables: prepared statements (SqlPool) built from
// row types and lists declared in code, with every value a parameter.
export { keysetPage } from './keyset-page';
export type { KeysetList, ListFilter, ListRequest } from './keyset-page';
export type { KeysetCursor } from '../pagination/keyset-cursor';
export { selectList } from './select-list';
export type { RowFields } from './select-list';
