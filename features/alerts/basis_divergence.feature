@alerts @allure.label.epic:Alerts @rule:alert-basis-divergence
Feature: Basis divergence alerts
  As a derivatives trader
  I want a warning when VN30 futures flip between premium and discount
  So that I can spot a change of sentiment in the futures market

  Background:
    Given the exchange reports VN30 at 1250.0 with 15 advancing and 15 declining stocks

  @severity:critical
  Scenario Outline: Futures flipping from <before> to <after> at <second> raise a warning
    Given VN30F2412 has traded at <first>
    When the exchange reports a trade of 10 VN30F2412 at <second>
    Then a basis divergence alert is raised for VN30F2412

    Examples:
      | before   | after    | first  | second |
      | premium  | discount | 1255.0 | 1245.0 |
      | discount | premium  | 1245.0 | 1255.0 |

    Examples: by one tick of 0.1 point
      | before   | after    | first  | second |
      | premium  | discount | 1255.0 | 1249.9 |
      | discount | premium  | 1245.0 | 1250.1 |

  @severity:normal
  Scenario Outline: Futures staying at a <kind> at <second> raise nothing
    Given VN30F2412 has traded at <first>
    When the exchange reports a trade of 10 VN30F2412 at <second>
    Then no basis divergence alert is raised for VN30F2412

    Examples:
      | kind     | first  | second |
      | premium  | 1255.0 | 1252.0 |

    Examples: one tick of 0.1 point from the index
      | kind     | first  | second |
      | premium  | 1255.0 | 1250.1 |
      | discount | 1245.0 | 1249.9 |
