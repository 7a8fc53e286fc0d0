// Northwind with LOAD CSV, in the shape of Neo4j's Northwind tutorial: the reference that
// northwind.yaml beside it is compared with. Files come from fixtures/northwind.
// IMPORT_URL is where the server reads those files, LABEL_SUFFIX keeps the labels apart in a
// shared database; test/support/load-csv.ts fills them in as graphload fills a pipeline's
// variables. Unset, the labels are the tutorial's and the files at the import folder's root.
// "NULL" and empty cells leave a property unset, as the pipeline's nullValues do.

CREATE CONSTRAINT IF NOT EXISTS FOR (n:Product${LABEL_SUFFIX:-}) REQUIRE n.productID IS UNIQUE;
CREATE CONSTRAINT IF NOT EXISTS FOR (n:Category${LABEL_SUFFIX:-}) REQUIRE n.categoryID IS UNIQUE;
CREATE CONSTRAINT IF NOT EXISTS FOR (n:Supplier${LABEL_SUFFIX:-}) REQUIRE n.supplierID IS UNIQUE;
CREATE CONSTRAINT IF NOT EXISTS FOR (n:Customer${LABEL_SUFFIX:-}) REQUIRE n.customerID IS UNIQUE;
CREATE CONSTRAINT IF NOT EXISTS FOR (n:Order${LABEL_SUFFIX:-}) REQUIRE n.orderID IS UNIQUE;
CREATE CONSTRAINT IF NOT EXISTS FOR (n:Employee${LABEL_SUFFIX:-}) REQUIRE n.employeeID IS UNIQUE;
CREATE CONSTRAINT IF NOT EXISTS FOR (n:Shipper${LABEL_SUFFIX:-}) REQUIRE n.shipperID IS UNIQUE;

LOAD CSV WITH HEADERS FROM '${IMPORT_URL:-file:///}products.csv' AS row
MERGE (p:Product${LABEL_SUFFIX:-} {productID: toInteger(row.productID)})
SET p.productName = nullIf(row.productName, 'NULL'),
    p.quantityPerUnit = nullIf(row.quantityPerUnit, 'NULL'),
    p.unitPrice = toFloat(row.unitPrice),
    p.unitsInStock = toInteger(row.unitsInStock),
    p.unitsOnOrder = toInteger(row.unitsOnOrder),
    p.reorderLevel = toInteger(row.reorderLevel),
    p.discontinued = (row.discontinued <> '0');

LOAD CSV WITH HEADERS FROM '${IMPORT_URL:-file:///}categories.csv' AS row
MERGE (c:Category${LABEL_SUFFIX:-} {categoryID: toInteger(row.categoryID)})
SET c.categoryName = nullIf(row.categoryName, 'NULL'),
    c.description = nullIf(row.description, 'NULL');

LOAD CSV WITH HEADERS FROM '${IMPORT_URL:-file:///}suppliers.csv' AS row
MERGE (s:Supplier${LABEL_SUFFIX:-} {supplierID: toInteger(row.supplierID)})
SET s.companyName = nullIf(row.companyName, 'NULL'),
    s.contactName = nullIf(row.contactName, 'NULL'),
    s.contactTitle = nullIf(row.contactTitle, 'NULL'),
    s.address = nullIf(row.address, 'NULL'),
    s.city = nullIf(row.city, 'NULL'),
    s.region = nullIf(row.region, 'NULL'),
    s.postalCode = nullIf(row.postalCode, 'NULL'),
    s.country = nullIf(row.country, 'NULL'),
    s.phone = nullIf(row.phone, 'NULL'),
    s.fax = nullIf(row.fax, 'NULL'),
    s.homePage = nullIf(row.homePage, 'NULL');

LOAD CSV WITH HEADERS FROM '${IMPORT_URL:-file:///}customers.csv' AS row
MERGE (c:Customer${LABEL_SUFFIX:-} {customerID: row.customerID})
SET c.companyName = nullIf(row.companyName, 'NULL'),
    c.contactName = nullIf(row.contactName, 'NULL'),
    c.contactTitle = nullIf(row.contactTitle, 'NULL'),
    c.address = nullIf(row.address, 'NULL'),
    c.city = nullIf(row.city, 'NULL'),
    c.region = nullIf(row.region, 'NULL'),
    c.postalCode = nullIf(row.postalCode, 'NULL'),
    c.country = nullIf(row.country, 'NULL'),
    c.phone = nullIf(row.phone, 'NULL'),
    c.fax = nullIf(row.fax, 'NULL');

// Timestamps are written `1996-07-04 00:00:00.000`: ISO 8601 once the space is a T.
LOAD CSV WITH HEADERS FROM '${IMPORT_URL:-file:///}orders.csv' AS row
MERGE (o:Order${LABEL_SUFFIX:-} {orderID: toInteger(row.orderID)})
SET o.orderDate = localdatetime(replace(nullIf(row.orderDate, 'NULL'), ' ', 'T')),
    o.requiredDate = localdatetime(replace(nullIf(row.requiredDate, 'NULL'), ' ', 'T')),
    o.shippedDate = localdatetime(replace(nullIf(row.shippedDate, 'NULL'), ' ', 'T')),
    o.freight = toFloat(row.freight),
    o.shipName = nullIf(row.shipName, 'NULL'),
    o.shipAddress = nullIf(row.shipAddress, 'NULL'),
    o.shipCity = nullIf(row.shipCity, 'NULL'),
    o.shipRegion = nullIf(row.shipRegion, 'NULL'),
    o.shipPostalCode = nullIf(row.shipPostalCode, 'NULL'),
    o.shipCountry = nullIf(row.shipCountry, 'NULL');

LOAD CSV WITH HEADERS FROM '${IMPORT_URL:-file:///}employees.csv' AS row
MERGE (e:Employee${LABEL_SUFFIX:-} {employeeID: toInteger(row.employeeID)})
SET e.lastName = nullIf(row.lastName, 'NULL'),
    e.firstName = nullIf(row.firstName, 'NULL'),
    e.title = nullIf(row.title, 'NULL'),
    e.titleOfCourtesy = nullIf(row.titleOfCourtesy, 'NULL'),
    e.birthDate = date(left(nullIf(row.birthDate, 'NULL'), 10)),
    e.hireDate = date(left(nullIf(row.hireDate, 'NULL'), 10)),
    e.city = nullIf(row.city, 'NULL'),
    e.country = nullIf(row.country, 'NULL'),
    e.notes = nullIf(row.notes, 'NULL');

LOAD CSV WITH HEADERS FROM '${IMPORT_URL:-file:///}shippers.csv' AS row
MERGE (s:Shipper${LABEL_SUFFIX:-} {shipperID: toInteger(row.shipperID)})
SET s.companyName = nullIf(row.companyName, 'NULL'),
    s.phone = nullIf(row.phone, 'NULL');

LOAD CSV WITH HEADERS FROM '${IMPORT_URL:-file:///}products.csv' AS row
MATCH (p:Product${LABEL_SUFFIX:-} {productID: toInteger(row.productID)})
MATCH (c:Category${LABEL_SUFFIX:-} {categoryID: toInteger(row.categoryID)})
MERGE (p)-[:PART_OF]->(c);

LOAD CSV WITH HEADERS FROM '${IMPORT_URL:-file:///}products.csv' AS row
MATCH (s:Supplier${LABEL_SUFFIX:-} {supplierID: toInteger(row.supplierID)})
MATCH (p:Product${LABEL_SUFFIX:-} {productID: toInteger(row.productID)})
MERGE (s)-[:SUPPLIES]->(p);

LOAD CSV WITH HEADERS FROM '${IMPORT_URL:-file:///}orders.csv' AS row
MATCH (c:Customer${LABEL_SUFFIX:-} {customerID: row.customerID})
MATCH (o:Order${LABEL_SUFFIX:-} {orderID: toInteger(row.orderID)})
MERGE (c)-[:PURCHASED]->(o);

LOAD CSV WITH HEADERS FROM '${IMPORT_URL:-file:///}orders.csv' AS row
MATCH (e:Employee${LABEL_SUFFIX:-} {employeeID: toInteger(row.employeeID)})
MATCH (o:Order${LABEL_SUFFIX:-} {orderID: toInteger(row.orderID)})
MERGE (e)-[:SOLD]->(o);

LOAD CSV WITH HEADERS FROM '${IMPORT_URL:-file:///}orders.csv' AS row
MATCH (o:Order${LABEL_SUFFIX:-} {orderID: toInteger(row.orderID)})
MATCH (s:Shipper${LABEL_SUFFIX:-} {shipperID: toInteger(row.shipVia)})
MERGE (o)-[:SHIPPED_VIA]->(s);

LOAD CSV WITH HEADERS FROM '${IMPORT_URL:-file:///}order-details.csv' AS row
MATCH (o:Order${LABEL_SUFFIX:-} {orderID: toInteger(row.orderID)})
MATCH (p:Product${LABEL_SUFFIX:-} {productID: toInteger(row.productID)})
MERGE (o)-[d:ORDERS]->(p)
SET d.unitPrice = toFloat(row.unitPrice),
    d.quantity = toInteger(row.quantity),
    d.discount = toFloat(row.discount);
