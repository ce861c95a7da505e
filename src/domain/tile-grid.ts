/**
 * Telling a tile grid from its name, where nothing else says which it is (a pasted address,
 * a tile matrix set's identifier). Small and free of XML, so the settings can use it.
 */

/**
 * SWEREF 99 TM (EPSG:3006) and its local zones (3007-3018) as a number of its own (not part
 * of a port, a token or a longer number), or the name.
 */
const SWEREF_IN_TEXT = /(^|[^0-9])30(0[6-9]|1[0-8])([^0-9]|$)|sweref/i;
const WEB_MERCATOR_IN_TEXT =
  /(^|[^0-9])(3857|900913|3785|102100|102113)([^0-9]|$)|google|web_?mercator|pseudo/i;

/** Whether the name of a tile matrix set (or an address) says which grid it is. */
export function gridNamed(text: string): "sweref" | "web_mercator" | "unknown" {
  if (SWEREF_IN_TEXT.test(text)) return "sweref";
  if (WEB_MERCATOR_IN_TEXT.test(text)) return "web_mercator";
  return "unknown";
}
