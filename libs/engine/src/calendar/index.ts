export { DAY_MS, parseClockTime } from "./clock-time.js";
export { dayNumberToIso, isoToDayNumber } from "./day-number.js";
export { OffsetCursor } from "./offset-cursor.js";
export { SessionCalendar, type SessionColumns, type SessionSettings } from "./session-calendar.js";
export * from "./tz.js";
