// DuckDB values as plain JSON for `POST /query` answers. The node-api's own converters either keep
// bigints and Dates (not JSON) or turn BIGINT, DECIMAL and NaN into strings; an HTTP client wants
// numbers where a number is exact, ISO strings for time, null where JSON has no value.
import {
  arrayFromArrayValue,
  arrayFromListValue,
  booleanFromValue,
  createDuckDBValueConverter,
  dateFromTimestampMillisecondsValue,
  dateFromTimestampNanosecondsValue,
  dateFromTimestampSecondsValue,
  dateFromTimestampTZValue,
  dateFromTimestampValue,
  DuckDBDecimalValue,
  DuckDBTypeId,
  type DuckDBValue,
  type DuckDBValueConverter,
  fromVariantValue,
  nullConverter,
  numberFromValue,
  objectArrayFromMapValue,
  objectFromStructValue,
  objectFromUnionValue,
  stringFromValue,
  unsupportedConverter,
} from "@duckdb/node-api";

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** The node-api's converters add the null themselves (`T | null`). */
type Converter = DuckDBValueConverter<NonNullable<JsonValue>>;

/** BIGINT and wider: a number while it is exact, else its decimal digits (no precision silently lost). */
const integer: Converter = (value) => {
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : String(value);
};

/** FLOAT/DOUBLE: JSON has no NaN or ±Infinity, and a string there would break numeric columns. */
const float: Converter = (value) => {
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
};

/** DECIMAL as a number: the results tables hold statistics, where a double's 15 digits are plenty. */
const decimal: Converter = (value) =>
  value instanceof DuckDBDecimalValue ? value.toDouble() : Number(value);

/** Timestamps as ISO-8601 UTC (like every other time in the API); DuckDB's own text for ±infinity and
 *  dates a JS Date cannot hold. Precision is the millisecond. */
const isoTimestamp =
  (toDate: (value: DuckDBValue) => Date): Converter =>
  (value) => {
    try {
      const date = toDate(value);
      return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
    } catch {
      return String(value);
    }
  };

/** DATE prints as ISO `YYYY-MM-DD` already, with no range limit; times, intervals, UUIDs… as text. */
const text: Converter = stringFromValue;

const CONVERTERS: Record<DuckDBTypeId, Converter> = {
  [DuckDBTypeId.INVALID]: unsupportedConverter,
  [DuckDBTypeId.BOOLEAN]: booleanFromValue,
  [DuckDBTypeId.TINYINT]: numberFromValue,
  [DuckDBTypeId.SMALLINT]: numberFromValue,
  [DuckDBTypeId.INTEGER]: numberFromValue,
  [DuckDBTypeId.BIGINT]: integer,
  [DuckDBTypeId.UTINYINT]: numberFromValue,
  [DuckDBTypeId.USMALLINT]: numberFromValue,
  [DuckDBTypeId.UINTEGER]: numberFromValue,
  [DuckDBTypeId.UBIGINT]: integer,
  [DuckDBTypeId.HUGEINT]: integer,
  [DuckDBTypeId.UHUGEINT]: integer,
  [DuckDBTypeId.BIGNUM]: integer,
  [DuckDBTypeId.FLOAT]: float,
  [DuckDBTypeId.DOUBLE]: float,
  [DuckDBTypeId.DECIMAL]: decimal,
  [DuckDBTypeId.TIMESTAMP]: isoTimestamp(dateFromTimestampValue),
  [DuckDBTypeId.TIMESTAMP_S]: isoTimestamp(dateFromTimestampSecondsValue),
  [DuckDBTypeId.TIMESTAMP_MS]: isoTimestamp(dateFromTimestampMillisecondsValue),
  [DuckDBTypeId.TIMESTAMP_NS]: isoTimestamp(dateFromTimestampNanosecondsValue),
  [DuckDBTypeId.TIMESTAMP_TZ]: isoTimestamp(dateFromTimestampTZValue),
  [DuckDBTypeId.DATE]: text,
  [DuckDBTypeId.TIME]: text,
  [DuckDBTypeId.TIME_NS]: text,
  [DuckDBTypeId.TIME_TZ]: text,
  [DuckDBTypeId.INTERVAL]: text,
  [DuckDBTypeId.VARCHAR]: text,
  [DuckDBTypeId.BLOB]: text,
  [DuckDBTypeId.ENUM]: text,
  [DuckDBTypeId.UUID]: text,
  [DuckDBTypeId.BIT]: text,
  [DuckDBTypeId.GEOMETRY]: text,
  [DuckDBTypeId.LIST]: arrayFromListValue,
  [DuckDBTypeId.ARRAY]: arrayFromArrayValue,
  [DuckDBTypeId.STRUCT]: objectFromStructValue,
  [DuckDBTypeId.MAP]: objectArrayFromMapValue,
  [DuckDBTypeId.UNION]: objectFromUnionValue,
  [DuckDBTypeId.VARIANT]: fromVariantValue,
  [DuckDBTypeId.SQLNULL]: nullConverter,
  [DuckDBTypeId.ANY]: unsupportedConverter,
  [DuckDBTypeId.STRING_LITERAL]: unsupportedConverter,
  [DuckDBTypeId.INTEGER_LITERAL]: unsupportedConverter,
};

/** Converts one DuckDB value (NULL → null), recursing into LIST, STRUCT, MAP… */
export const JSON_CELLS: Converter = createDuckDBValueConverter(CONVERTERS);
