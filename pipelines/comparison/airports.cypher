// U.S. airports with LOAD CSV: the reference that airports.yaml beside it is compared with.
// Files come from fixtures/airports. IMPORT_URL is where the server reads them, LABEL_SUFFIX
// keeps the labels apart in a shared database; test/support/load-csv.ts fills them in as
// graphload fills a pipeline's variables.
// NA (and an empty cell) is a missing value, as the pipeline's nullValues say.

CREATE CONSTRAINT IF NOT EXISTS FOR (a:Airport${LABEL_SUFFIX:-}) REQUIRE a.iata IS UNIQUE;
CREATE CONSTRAINT IF NOT EXISTS FOR (s:State${LABEL_SUFFIX:-}) REQUIRE s.code IS UNIQUE;

LOAD CSV WITH HEADERS FROM '${IMPORT_URL:-file:///}airports.csv' AS row
MERGE (a:Airport${LABEL_SUFFIX:-} {iata: row.iata})
  ON CREATE SET a.name = nullIf(row.name, 'NA')
SET a.location = point({latitude: toFloat(row.latitude), longitude: toFloat(row.longitude)}),
    a.city = coalesce(nullIf(row.city, 'NA'), 'UNKNOWN'),
    a.country = nullIf(row.country, 'NA');

// A state is created by the first airport in it, in file order.
LOAD CSV WITH HEADERS FROM '${IMPORT_URL:-file:///}airports.csv' AS row
WITH row WHERE nullIf(row.state, 'NA') IS NOT NULL
MATCH (a:Airport${LABEL_SUFFIX:-} {iata: row.iata})
MERGE (s:State${LABEL_SUFFIX:-} {code: row.state})
  ON CREATE SET s.country = nullIf(row.country, 'NA'), s.firstAirport = row.iata
MERGE (a)-[:IN_STATE]->(s);

LOAD CSV WITH HEADERS FROM '${IMPORT_URL:-file:///}flights-airport.csv' AS row
WITH row WHERE row.count =~ '[1-9][0-9]+'
MATCH (a:Airport${LABEL_SUFFIX:-} {iata: row.origin})
MATCH (b:Airport${LABEL_SUFFIX:-} {iata: row.destination})
MERGE (a)-[r:FLIES_TO]->(b)
SET r.count = toInteger(row.count);
