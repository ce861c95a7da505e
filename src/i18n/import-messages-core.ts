/**
 * What the GeoJSON and CSV importers can say about a file, in Swedish and English: one
 * template per reason or repair code (src/domain/import/geojson-checks.ts GEOJSON_REASONS and
 * REPAIRS, src/domain/import/csv.ts CSV_REASONS). `empty_file` is in import-messages.ts.
 *
 * Placeholders name the issue's `params`: {path} is where inside a feature
 * ("geometry.coordinates[0]"), {line} a CSV line, {x} {y} coordinates as read. The UI puts
 * the issue's `where` ("features[17]", "line 23") before the sentence.
 */
export const IMPORT_MESSAGES_CORE: Record<string, { sv: string; en: string }> = {
  // The whole file.
  invalid_json: {
    sv: "Filen är inte giltig JSON: felet finns på rad {line}, kolumn {column}.",
    en: "The file is not valid JSON: the error is at line {line}, column {column}.",
  },
  not_geojson: {
    sv: "Filen är inte GeoJSON: den innehåller ingen FeatureCollection, Feature eller geometri.",
    en: "The file is not GeoJSON: it holds no FeatureCollection, Feature or geometry.",
  },
  unknown_type: {
    sv: "Filen är inte GeoJSON: typen ”{type}” finns inte i GeoJSON.",
    en: 'The file is not GeoJSON: "{type}" is not a GeoJSON type.',
  },
  features_missing: {
    sv: "Filen är en FeatureCollection men saknar listan ”features”.",
    en: 'The file is a FeatureCollection without a "features" list.',
  },
  features_not_array: {
    sv: "Filen är en FeatureCollection, men ”features” är inte en lista.",
    en: 'The file is a FeatureCollection, but "features" is not a list.',
  },
  no_features: {
    sv: "Filen innehåller inga objekt.",
    en: "The file contains no features.",
  },
  unknown_crs: {
    sv: "Lykta kan inte räkna om koordinatsystemet {crs}. Lykta läser WGS 84 (EPSG:4326), SWEREF 99 TM (EPSG:3006), de lokala SWEREF 99-zonerna (EPSG:3007–3018) och RT 90 2.5 gon V (EPSG:3021). Transformera filen i ert GIS först.",
    en: "Lykta cannot reproject the coordinate system {crs}. Lykta reads WGS 84 (EPSG:4326), SWEREF 99 TM (EPSG:3006), the local SWEREF 99 zones (EPSG:3007–3018) and RT 90 2.5 gon V (EPSG:3021). Reproject the file in your GIS first.",
  },
  crs_mismatch: {
    sv: "Koordinaterna (t.ex. [{x}, {y}]) ser ut som longitud och latitud i grader, men filen läses som {crs}, som anges i meter. Ange rätt koordinatsystem.",
    en: "The coordinates (e.g. [{x}, {y}]) look like longitude and latitude in degrees, but the file is read as {crs}, which is in metres. Name the right coordinate system.",
  },
  out_of_range_likely_crs: {
    sv: "Koordinaterna ligger utanför WGS 84:s värdeområde (longitud −180…180, latitud −90…90), t.ex. [{x}, {y}]. De ser ut att vara {crsName} ({crs}), men filen anger inget koordinatsystem. Välj {crs} när du importerar, eller ange koordinatsystemet i filen.",
    en: "The coordinates are outside WGS 84's range (longitude −180…180, latitude −90…90), e.g. [{x}, {y}]. They look like {crsName} ({crs}), but the file names no coordinate system. Choose {crs} when importing, or name it in the file.",
  },
  // The whole file, or one feature.
  out_of_range: {
    sv: "Koordinaterna [{x}, {y}] ligger utanför WGS 84:s värdeområde (longitud −180…180, latitud −90…90). Om filen har projicerade koordinater, t.ex. SWEREF 99 TM, ange koordinatsystemet när du importerar.",
    en: "The coordinates [{x}, {y}] are outside WGS 84's range (longitude −180…180, latitude −90…90). If the file holds projected coordinates, e.g. SWEREF 99 TM, name the coordinate system when importing.",
  },

  // One feature, left out.
  feature_not_object: {
    sv: "Detta är inte ett GeoJSON-objekt (Feature).",
    en: "This is not a GeoJSON object (Feature).",
  },
  feature_type_invalid: {
    sv: "Objektet har inte typen ”Feature” (typ: ”{type}”).",
    en: 'The object is not of type "Feature" (type: "{type}").',
  },
  properties_not_object: {
    sv: "Egenskaperna (”properties”) är inte en samling fält med värden.",
    en: 'The "properties" member is not a set of fields with values.',
  },
  properties_too_deep: {
    sv: "Egenskaperna är nästlade i fler än {depth} nivåer; Lykta läser inte så djupa värden.",
    en: "The properties are nested more than {depth} levels deep; Lykta does not read values that deep.",
  },
  geometry_missing: {
    sv: "Objektet saknar geometri (fältet ”geometry” finns inte).",
    en: 'The feature has no geometry (no "geometry" member).',
  },
  no_geometry: {
    sv: "Objektet har ingen geometri (null) och kan inte visas på kartan.",
    en: "The feature has no geometry (null) and cannot be shown on the map.",
  },
  geometry_not_object: {
    sv: "Geometrin vid {path} är inte ett geometriobjekt.",
    en: "The geometry at {path} is not a geometry object.",
  },
  geometry_type_invalid: {
    sv: "”{type}” vid {path} är ingen geometrityp i GeoJSON.",
    en: '"{type}" at {path} is not a GeoJSON geometry type.',
  },
  coordinates_missing: {
    sv: "Geometrin vid {path} saknar koordinater.",
    en: "The geometry at {path} has no coordinates.",
  },
  coordinates_invalid: {
    sv: "Koordinaterna vid {path} är inte en lista med tal.",
    en: "The coordinates at {path} are not a list of numbers.",
  },
  coordinates_nesting: {
    sv: "Koordinaterna vid {path} är fel nästlade: antalet hakparenteser stämmer inte med geometritypen.",
    en: "The coordinates at {path} are wrongly nested: the brackets do not match the geometry type.",
  },
  coordinate_not_number: {
    sv: "Koordinaten vid {path} är inte ett tal ({value}).",
    en: "The coordinate at {path} is not a number ({value}).",
  },
  coordinate_not_finite: {
    sv: "Koordinaten vid {path} är ett för stort tal.",
    en: "The coordinate at {path} is too large a number.",
  },
  position_too_short: {
    sv: "Punkten vid {path} har för få tal ({count}); den behöver x och y.",
    en: "The position at {path} has too few numbers ({count}); it needs x and y.",
  },
  line_too_short: {
    sv: "Linjen vid {path} har för få olika punkter ({count}); den behöver minst två.",
    en: "The line at {path} has too few distinct positions ({count}); it needs at least two.",
  },
  ring_too_short: {
    sv: "Polygonens ring vid {path} har för få punkter ({count}); den behöver minst fyra (tre hörn och den första igen).",
    en: "The polygon ring at {path} has too few positions ({count}); it needs at least four (three corners and the first again).",
  },
  ring_not_closed: {
    sv: "Polygonens ring är inte sluten: första och sista punkten skiljer sig ({path}).",
    en: "The polygon ring is not closed: the first and last positions differ ({path}).",
  },
  empty_geometry: {
    sv: "Geometrin vid {path} är tom.",
    en: "The geometry at {path} is empty.",
  },
  nesting_too_deep: {
    sv: "Geometrisamlingarna vid {path} är nästlade i för många nivåer.",
    en: "The geometry collections at {path} are nested too deeply.",
  },

  // One feature, kept after a repair.
  dimensions_dropped: {
    sv: "Höjdvärden (en tredje eller fjärde koordinat) togs bort; Lykta behåller x och y.",
    en: "Elevation values (a third or fourth coordinate) were dropped; Lykta keeps x and y.",
  },
  precision_reduced: {
    sv: "Koordinaterna avrundades till {decimals} decimaler (ungefär 1 cm).",
    en: "The coordinates were rounded to {decimals} decimals (about 1 cm).",
  },
  duplicate_positions_removed: {
    sv: "Upprepade punkter togs bort ({count} st., samma punkt två gånger i rad).",
    en: "Repeated positions were removed ({count}; the same position twice in a row).",
  },
  winding_rewound: {
    sv: "Polygonens ringar vändes enligt högerhandsregeln (yttre ring moturs, hål medurs).",
    en: "The polygon's rings were rewound to the right-hand rule (outer ring counterclockwise, holes clockwise).",
  },
  geometry_collection_split: {
    sv: "En geometrisamling (GeometryCollection) delades upp i {count} objekt, ett per geometri, med samma egenskaper.",
    en: "A GeometryCollection was split into {count} features, one per geometry, with the same properties.",
  },
  type_case: {
    sv: "Typnamn med fel versaler/gemener lästes som GeoJSON-typer ({types}).",
    en: "Type names in the wrong case were read as GeoJSON types ({types}).",
  },
  forbidden_member_ignored: {
    sv: "Fälten {members} hoppades över eftersom GeoJSON inte tillåter dem här.",
    en: "The members {members} were ignored because GeoJSON does not allow them here.",
  },
  bbox_ignored: {
    sv: "En ogiltig bbox ({path}) hoppades över; Lykta räknar ut utbredningen själv.",
    en: "An invalid bbox ({path}) was ignored; Lykta computes extents itself.",
  },
  id_dropped: {
    sv: "Objektets id var varken text eller ett tal och togs bort.",
    en: "The feature's id was neither text nor a number and was dropped.",
  },
  properties_empty_array: {
    sv: "”properties” var en tom lista och lästes som inga egenskaper.",
    en: '"properties" was an empty list and was read as no properties.',
  },

  // CSV.
  csv_no_coordinate_columns: {
    sv: "Filen har inga koordinatkolumner som Lykta känner igen (kolumner: {columns}). Döp dem till lat och lon (WGS 84) eller N och E (SWEREF 99 TM), eller lägg till en WKT-kolumn.",
    en: "The file has no coordinate columns Lykta recognises (columns: {columns}). Name them lat and lon (WGS 84) or N and E (SWEREF 99 TM), or add a WKT column.",
  },
  csv_no_rows: {
    sv: "Filen har en rubrikrad men inga rader med data.",
    en: "The file has a header but no rows of data.",
  },
  csv_field_count: {
    sv: "Raden har {count} fält men rubrikraden har {expected}.",
    en: "The row has {count} fields but the header has {expected}.",
  },
  csv_quotes: {
    sv: "Ett citattecken är inte avslutat, eller står mitt i ett värde.",
    en: "A quote is not closed, or stands inside a value.",
  },
  csv_coordinate_missing: {
    sv: "Kolumnen {column} är tom.",
    en: "The {column} column is empty.",
  },
  csv_coordinate_not_number: {
    sv: "Värdet ”{value}” i kolumnen {column} är inte ett tal.",
    en: 'The value "{value}" in the {column} column is not a number.',
  },
  csv_wkt_invalid: {
    sv: "Värdet i kolumnen {column} är inte giltig WKT.",
    en: "The value in the {column} column is not valid WKT.",
  },
  csv_outside_sweref99tm: {
    sv: "E {x}, N {y} är inte en SWEREF 99 TM-koordinat i Sverige. Om filen använder en lokal SWEREF 99-zon eller RT 90, välj det koordinatsystemet när du importerar.",
    en: "E {x}, N {y} is not a SWEREF 99 TM coordinate in Sweden. If the file uses a local SWEREF 99 zone or RT 90, choose that coordinate system when importing.",
  },
};
