/**
 * The shape of Holdfast's public ids (server/domain/shared/ids.ts makes them): a type
 * prefix and 26 lower-case Crockford base32 characters. Pure: the console's URL parsing
 * and the server's schemas check ids with the same patterns.
 */
export type IdPrefix = "evt" | "ep" | "msg" | "rec" | "inc" | "owh" | "imp";

export const ID_PATTERN: Readonly<Record<IdPrefix, RegExp>> = {
  evt: /^evt_[0-9a-z]{26}$/,
  ep: /^ep_[0-9a-z]{26}$/,
  msg: /^msg_[0-9a-z]{26}$/,
  rec: /^rec_[0-9a-z]{26}$/,
  inc: /^inc_[0-9a-z]{26}$/,
  owh: /^owh_[0-9a-z]{26}$/,
  imp: /^imp_[0-9a-z]{26}$/,
};

/** What a schema says when a value is not an id of that kind. */
export const NOT_AN_ID: Readonly<Record<IdPrefix, string>> = {
  evt: "Not an event id",
  ep: "Not an endpoint id",
  msg: "Not a delivery id",
  rec: "Not a run id",
  inc: "Not an incident id",
  owh: "Not an operational webhook endpoint id",
  imp: "Not an import id",
};
