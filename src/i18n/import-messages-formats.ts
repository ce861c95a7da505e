/**
 * What the OSM, GPX/KML and Shapefile importers and the zip checks can say, in Swedish and
 * English. Placeholders `{name}` are the issue's `params`; the issue's `where` ("way 4711",
 * "trk[2]", "ljus.shp features[3]", `zip entry "../../x.shp"`) is put in front by
 * importIssueText. Problems the shared geometry reader finds (out of range, too few
 * positions ...) use the core codes and are translated in import-messages-core.ts.
 */
export const IMPORT_MESSAGES_FORMATS: Record<string, { sv: string; en: string }> = {
  // OpenStreetMap (osm.ts)
  osm_way_nodes_missing: {
    sv: "Bara {present} av vägens {total} noder finns i filen, och inte två i rad. Utdraget är troligen beskuret vid kanten, så vägen kan inte ritas.",
    en: "Only {present} of the way's {total} nodes are in the file, and not two in a row. The extract is probably cut at its edge, so the way cannot be drawn.",
  },
  osm_way_too_few_nodes: {
    sv: "Vägen har färre än två noder och kan inte bli en linje.",
    en: "The way has fewer than two nodes and cannot become a line.",
  },
  osm_way_clipped: {
    sv: "{missing} av vägens {total} noder saknas i filen (utdraget är beskuret). Delen som finns i filen behölls.",
    en: "{missing} of the way's {total} nodes are missing from the file (the extract is cut). The part in the file was kept.",
  },
  osm_way_repeated_node: {
    sv: "Vägen har samma nod två gånger i rad. Dubbletten togs bort.",
    en: "The way lists the same node twice in a row. The repeat was removed.",
  },
  osm_node_invalid_position: {
    sv: "Gatlampan saknar giltig position (latitud eller longitud saknas eller ligger utanför WGS 84).",
    en: "The street lamp has no valid position (latitude or longitude missing or outside WGS 84).",
  },
  osm_xml_malformed: {
    sv: "OSM-filen är inte korrekt XML nära rad {line}, kolumn {column}. Den kan vara avbruten eller skadad.",
    en: "The OSM file is not well-formed XML near line {line}, column {column}. It may be cut off or damaged.",
  },
  osm_not_osm_xml: {
    sv: "Filen är inte OpenStreetMap-data i XML-format.",
    en: "The file is not OpenStreetMap XML data.",
  },
  osm_gzip_damaged: {
    sv: "Den packade filen (.gz) är skadad eller ofullständig. Ladda ner den igen.",
    en: "The compressed file (.gz) is damaged or incomplete. Download it again.",
  },
  osm_file_too_large: {
    sv: "OSM-filen är större än {limitMb} MB uppackad. Använd ett mindre utdrag eller formatet .osm.pbf.",
    en: "The OSM file is larger than {limitMb} MB uncompressed. Use a smaller extract or the .osm.pbf format.",
  },
  osm_pbf_damaged: {
    sv: "PBF-filen är skadad eller ofullständig (runt byte {offset}). Ladda ner den igen.",
    en: "The PBF file is damaged or incomplete (near byte {offset}). Download it again.",
  },
  osm_not_osm_pbf: {
    sv: "Filen är inte en OpenStreetMap-fil i PBF-format.",
    en: "The file is not an OpenStreetMap PBF file.",
  },
  osm_pbf_unsupported_feature: {
    sv: "PBF-filen kräver funktioner som Lykta inte läser ({features}). Historikfiler stöds inte; använd ett aktuellt utdrag.",
    en: "The PBF file requires features Lykta does not read ({features}). History files are not supported; use a current extract.",
  },
  osm_pbf_unsupported_compression: {
    sv: "PBF-filen är komprimerad med {compression}, som Lykta inte läser. Exportera den igen med zlib-komprimering.",
    en: "The PBF file is compressed with {compression}, which Lykta does not read. Export it again with zlib compression.",
  },
  osm_no_highways: {
    sv: "Filen innehåller inga vägar (highway) och inga gatlampor. Lykta läste {nodes} noder och {ways} vägar av andra slag.",
    en: "The file has no highway ways and no street lamps. Lykta read {nodes} nodes and {ways} ways of other kinds.",
  },
  osm_overpass_remark: {
    sv: "Overpass svarade med en anmärkning: ”{remark}”. Datan kan vara ofullständig.",
    en: "Overpass answered with a remark: “{remark}”. The data may be incomplete.",
  },

  // GPX and KML (gpx-kml.ts)
  xml_not_xml: {
    sv: "Filen är inte XML och kan inte läsas som {kind}.",
    en: "The file is not XML and cannot be read as {kind}.",
  },
  xml_malformed: {
    sv: "{kind}-filen är inte korrekt XML nära rad {line}, kolumn {column}. Den kan vara avbruten eller skadad.",
    en: "The {kind} file is not well-formed XML near line {line}, column {column}. It may be cut off or damaged.",
  },
  gpx_not_gpx: {
    sv: "Filen är XML men inte GPX (rotelementet är <{root}>).",
    en: "The file is XML but not GPX (its root element is <{root}>).",
  },
  kml_not_kml: {
    sv: "Filen är XML men inte KML (rotelementet är <{root}>).",
    en: "The file is XML but not KML (its root element is <{root}>).",
  },
  gpx_kml_conversion_failed: {
    sv: "{kind}-filen kunde inte omvandlas. Den kan vara skadad eller ha en ovanlig uppbyggnad.",
    en: "The {kind} file could not be converted. It may be damaged or unusually structured.",
  },
  gpx_kml_no_features: {
    sv: "{kind}-filen innehåller inget att importera (inga spår, rutter, vägpunkter eller platsmarkeringar).",
    en: "The {kind} file has nothing to import (no tracks, routes, waypoints or placemarks).",
  },
  gpx_waypoint_no_position: {
    sv: "Vägpunkten saknar läsbar latitud eller longitud.",
    en: "The waypoint has no readable latitude or longitude.",
  },
  gpx_line_too_few_points: {
    sv: "Spåret eller rutten har inte två punkter med läsbar position i följd och kan inte bli en linje.",
    en: "The track or route does not have two points with a readable position in a row and cannot become a line.",
  },
  gpx_points_skipped: {
    sv: "{points} punkter utan läsbar position och {segments} segment med färre än två punkter hoppades över.",
    en: "{points} points without a readable position and {segments} segments with fewer than two points were skipped.",
  },
  kml_placemark_no_geometry: {
    sv: "Platsmarkeringen har ingen geometri med läsbara koordinater.",
    en: "The placemark has no geometry with readable coordinates.",
  },
  kml_overlay_skipped: {
    sv: "Objektet är en bild (GroundOverlay) eller en länk till en annan fil (NetworkLink), inget kartobjekt, och togs inte med.",
    en: "This is an image (GroundOverlay) or a link to another file (NetworkLink), not a map feature, and was left out.",
  },
  kml_multigeometry_split: {
    sv: "En MultiGeometry med olika slags geometrier delades i {count} objekt ({kinds}) med samma egenskaper.",
    en: "A MultiGeometry of mixed kinds was split into {count} features ({kinds}) with the same properties.",
  },
  elevation_dropped: {
    sv: "Höjdvärden togs bort från {count} objekt. Lykta sparar bara läge i plan.",
    en: "Elevations were removed from {count} features. Lykta keeps the horizontal position only.",
  },

  // Zipped Shapefile (shapefile.ts)
  shapefile_none_in_zip: {
    sv: "Zip-filen innehåller ingen Shapefile (.shp).",
    en: "The zip file holds no Shapefile (.shp).",
  },
  shapefile_shp_damaged: {
    sv: "Filen är skadad eller ingen Shapefile.",
    en: "The file is damaged or not a Shapefile.",
  },
  shapefile_dbf_damaged: {
    sv: "Lagrets attributtabell (.dbf) kan inte läsas.",
    en: "The layer's attribute table (.dbf) cannot be read.",
  },
  shapefile_prj_unsupported: {
    sv: "Lagrets projektionsfil (.prj) beskriver ett koordinatsystem som Lykta inte kan läsa. Projicera om lagret till SWEREF 99 TM eller WGS 84, eller ange koordinatsystemet vid importen.",
    en: "The layer's projection file (.prj) describes a coordinate system Lykta cannot read. Reproject the layer to SWEREF 99 TM or WGS 84, or name its coordinate system when importing.",
  },
  shapefile_no_prj_not_wgs84: {
    sv: "Lagret saknar projektionsfil (.prj) och koordinaterna (t.ex. {x}, {y}) är inte WGS 84. Lägg med .prj-filen i zip-filen eller ange koordinatsystemet vid importen (troligen SWEREF 99 TM, EPSG:3006, om det är en svensk kommun).",
    en: "The layer has no projection file (.prj) and its coordinates (e.g. {x}, {y}) are not WGS 84. Add the .prj file to the zip or name the coordinate system when importing (most likely SWEREF 99 TM, EPSG:3006, for a Swedish municipality).",
  },
  shapefile_from_crs_unsupported: {
    sv: "Koordinatsystemet {crs} kan Lykta inte projicera om.",
    en: "Lykta cannot reproject the coordinate system {crs}.",
  },
  shapefile_null_shape: {
    sv: "Posten saknar geometri (tom form).",
    en: "The record has no geometry (a null shape).",
  },
  shapefile_deleted_record: {
    sv: "Posten är markerad som borttagen i attributtabellen (.dbf).",
    en: "The record is marked deleted in the attribute table (.dbf).",
  },
  shapefile_no_dbf: {
    sv: "Lagret har ingen attributtabell (.dbf), så objekten saknar attribut.",
    en: "The layer has no attribute table (.dbf), so its features have no attributes.",
  },
  shapefile_record_count_mismatch: {
    sv: "Lagret har {shapes} former men attributtabellen {records} poster. De parades ihop i ordning.",
    en: "The layer has {shapes} shapes but its attribute table {records} records. They were paired in order.",
  },
  shapefile_cpg_overruled: {
    sv: "Teckenkodsfilen (.cpg) anger UTF-8, men texten i attributtabellen är inte UTF-8. Den lästes som Windows-1252 (Latin-1).",
    en: "The code page file (.cpg) says UTF-8, but the attribute table's text is not UTF-8. It was read as Windows-1252 (Latin-1).",
  },

  // Zip files (zip-safety.ts), also for .lykta packages
  zip_not_a_zip: {
    sv: "Filen är ingen zip-fil, eller så är den skadad eller ofullständig.",
    en: "The file is not a zip file, or it is damaged or incomplete.",
  },
  zip_multi_disk: {
    sv: "Zip-filen är delad i flera delar. Slå ihop delarna till en zip-fil först.",
    en: "The zip file is split into several parts. Join them into one zip file first.",
  },
  zip_too_many_entries: {
    sv: "Zip-filen innehåller {count} filer, fler än gränsen på {limit}.",
    en: "The zip file holds {count} entries, more than the limit of {limit}.",
  },
  zip_unsafe_path: {
    sv: "Filen {name} i zip-filen skulle hamna utanför paketet (”zip slip”). Zip-filen vägras.",
    en: "The entry {name} would land outside the package (“zip slip”). The zip file is refused.",
  },
  zip_duplicate_entry: {
    sv: "Filen {name} finns mer än en gång i zip-filen. Zip-filen vägras.",
    en: "The entry {name} occurs more than once in the zip file. The zip file is refused.",
  },
  zip_entry_too_large: {
    sv: "Filen {name} blir {sizeMb} MB uppackad, mer än gränsen på {limitMb} MB.",
    en: "The entry {name} expands to {sizeMb} MB, more than the limit of {limitMb} MB.",
  },
  zip_total_too_large: {
    sv: "Zip-filen blir {sizeMb} MB uppackad, mer än gränsen på {limitMb} MB.",
    en: "The zip file expands to {sizeMb} MB, more than the limit of {limitMb} MB.",
  },
  zip_ratio_too_high: {
    sv: "Innehållet är komprimerat {ratio}:1, mer än gränsen {limit}:1. Det liknar en zip-bomb och packas inte upp.",
    en: "The content is compressed {ratio}:1, more than the limit of {limit}:1. It looks like a zip bomb and is not unpacked.",
  },
  zip_entry_damaged: {
    sv: "Filen {name} i zip-filen är skadad eller ofullständig.",
    en: "The entry {name} in the zip file is damaged or incomplete.",
  },
  zip_entry_size_mismatch: {
    sv: "Filen {name} innehåller inte det som zip-filen uppger (skadad eller manipulerad zip-fil).",
    en: "The entry {name} does not hold what the zip file declares (a damaged or tampered zip file).",
  },
  zip_entry_encrypted: {
    sv: "Filen {name} i zip-filen är krypterad och kan inte läsas. Packa den utan lösenord.",
    en: "The entry {name} in the zip file is encrypted and cannot be read. Zip it without a password.",
  },
  zip_unsupported_method: {
    sv: "Filen {name} är komprimerad på ett sätt som Lykta inte läser. Spara zip-filen med vanlig komprimering (deflate).",
    en: "The entry {name} is compressed in a way Lykta does not read. Save the zip file with ordinary (deflate) compression.",
  },

  // GeoPackage (gpkg.ts)
  gpkg_not_sqlite: {
    sv: "Filen är ingen GeoPackage. En GeoPackage är en SQLite-databas, och det är inte den här filen.",
    en: "The file is not a GeoPackage. A GeoPackage is an SQLite database, and this file is not one.",
  },
  gpkg_not_geopackage: {
    sv: "Filen är en SQLite-databas men ingen GeoPackage (tabellerna gpkg_contents och gpkg_geometry_columns saknas). Spara den som GeoPackage i QGIS, eller med ogr2ogr -f GPKG.",
    en: "The file is an SQLite database but not a GeoPackage (it has no gpkg_contents and gpkg_geometry_columns tables). Save it as a GeoPackage in QGIS, or with ogr2ogr -f GPKG.",
  },
  gpkg_damaged: {
    sv: "GeoPackage-filen är skadad eller ofullständig och kan inte läsas.",
    en: "The GeoPackage file is damaged or incomplete and cannot be read.",
  },
  gpkg_no_feature_tables: {
    sv: "GeoPackage-filen har inga lager med geometrier (bara rasterplattor eller tabeller utan geometri).",
    en: "The GeoPackage has no layers with geometry (only raster tiles or tables without geometry).",
  },
  gpkg_from_crs_unsupported: {
    sv: "Koordinatsystemet {crs} kan Lykta inte projicera om.",
    en: "Lykta cannot reproject the coordinate system {crs}.",
  },
  gpkg_table_damaged: {
    sv: "Lagret {table} kan inte läsas (skadat, eller saknar uppgift om geometrikolumn).",
    en: "The layer {table} cannot be read (damaged, or its geometry column is not declared).",
  },
  gpkg_crs_unsupported: {
    sv: "Lagret {table} har koordinatsystemet {crs}, som Lykta inte kan projicera om. Projicera om lagret till SWEREF 99 TM eller WGS 84 (i QGIS, eller med ogr2ogr -t_srs EPSG:3006), eller ange koordinatsystemet vid importen.",
    en: "The layer {table} is in the coordinate system {crs}, which Lykta cannot reproject. Reproject the layer to SWEREF 99 TM or WGS 84 (in QGIS, or with ogr2ogr -t_srs EPSG:3006), or name its coordinate system when importing.",
  },
  gpkg_not_wgs84: {
    sv: "Lagret {table} anger WGS 84 eller inget koordinatsystem, men koordinaterna (t.ex. {x}, {y}) är inte grader. Ange koordinatsystemet vid importen (troligen SWEREF 99 TM, EPSG:3006, om det är en svensk kommun).",
    en: "The layer {table} says WGS 84 or names no coordinate system, but its coordinates (e.g. {x}, {y}) are not degrees. Name the coordinate system when importing (most likely SWEREF 99 TM, EPSG:3006, for a Swedish municipality).",
  },
  gpkg_null_geometry: {
    sv: "Objektet saknar geometri (NULL).",
    en: "The feature has no geometry (NULL).",
  },
  gpkg_empty_geometry: {
    sv: "Objektets geometri är tom.",
    en: "The feature's geometry is empty.",
  },
  gpkg_unsupported_geometry: {
    sv: "Geometrin är av typen {type}, som Lykta inte läser. Gör om kurvor till linjer först (i QGIS, eller med ogr2ogr -nlt CONVERT_TO_LINEAR).",
    en: "The geometry is of the type {type}, which Lykta does not read. Convert curves to lines first (in QGIS, or with ogr2ogr -nlt CONVERT_TO_LINEAR).",
  },
  gpkg_geometry_damaged: {
    sv: "Geometrin kan inte läsas; datan är skadad ({detail}).",
    en: "The geometry cannot be read; the data is damaged ({detail}).",
  },
  gpkg_z_m_dropped: {
    sv: "Z- eller M-värden (höjd, mått) togs bort från {count} objekt i lagret {table}. Lykta sparar bara läge i plan.",
    en: "Z or M values (elevation, measure) were removed from {count} features of the layer {table}. Lykta keeps the horizontal position only.",
  },
  gpkg_blob_columns_skipped: {
    sv: "Kolumnerna {columns} i lagret {table} innehåller binärdata (BLOB, t.ex. bilder) och togs inte med.",
    en: "The columns {columns} of the layer {table} hold binary data (BLOB, e.g. images) and were left out.",
  },
};
