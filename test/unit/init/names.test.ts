import { describe, expect, it } from "vitest";
import { baseName, isIdLike, labelFromFileName, pipelineName, propertyName, relationshipType, singular } from "../../../src/init/names.js";

describe("names in a draft", () => {
  it("makes labels PascalCase and singular from file names", () => {
    expect(labelFromFileName("products")).toBe("Product");
    expect(labelFromFileName("categories")).toBe("Category");
    expect(labelFromFileName("order-details")).toBe("OrderDetail");
    expect(labelFromFileName("employee_territories")).toBe("EmployeeTerritory");
    expect(labelFromFileName("lookup_people")).toBe("LookupPerson");
    expect(labelFromFileName("addresses")).toBe("Address");
    expect(labelFromFileName("boxes")).toBe("Box");
    expect(labelFromFileName("movies")).toBe("Movie");
    expect(labelFromFileName("species")).toBe("Species");
    expect(labelFromFileName("status")).toBe("Status");
    expect(labelFromFileName("seattle-weather")).toBe("SeattleWeather");
    expect(labelFromFileName("US_states")).toBe("USState");
    expect(labelFromFileName("2019-sales")).toBe("N2019Sale");
    expect(singular("analysis")).toBe("analysis");
  });

  it("keeps plain column names as property names and camelCases the others", () => {
    expect(propertyName("unitPrice")).toBe("unitPrice");
    expect(propertyName("ship_city")).toBe("ship_city");
    expect(propertyName("Cost Total $")).toBe("costTotal");
    expect(propertyName("US Gross")).toBe("usGross");
    expect(propertyName("Beak Length (mm)")).toBe("beakLengthMm");
    expect(propertyName("1st place")).toBe("_1stPlace");
  });

  it("names a relationship after the column that links, without its id suffix", () => {
    expect(relationshipType("categoryID")).toBe("CATEGORY");
    expect(relationshipType("customer_id")).toBe("CUSTOMER");
    expect(relationshipType("shipVia")).toBe("SHIP_VIA");
    expect(relationshipType("origin")).toBe("ORIGIN");
    expect(relationshipType("id")).toBe("ID");
  });

  it("tells id-like names and their base", () => {
    expect(isIdLike("employeeID")).toBe(true);
    expect(isIdLike("user_id")).toBe(true);
    expect(isIdLike("id")).toBe(true);
    expect(isIdLike("paid")).toBe(false);
    expect(isIdLike("iata")).toBe(false);
    expect(baseName("categoryID")).toBe("category");
    expect(baseName("reportsTo")).toBe("reportsto");
  });

  it("makes a valid pipeline name of any text", () => {
    expect(pipelineName("northwind")).toBe("northwind");
    expect(pipelineName("my data (2024)")).toBe("my-data-2024");
    expect(pipelineName("---")).toBe("draft");
  });
});
