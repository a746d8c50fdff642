@alerts @allure.label.epic:Alerts @rule:alert-basis-divergence
Feature: Basis divergence alerts
  As a derivatives trader
  I want a warning when VN30 futures flip between premium and discount
  So that I can spot a change of sentiment in the futures market

  Background:
    Given the exchange reports VN30 at 1250.0 with 15 advancing and 15 declining stocks

  @severity:critical
  Scenario Outline: Futures flipping from <before> to <after> raise a warning
    Given VN30F2412 has traded at <first>
    When the exchange reports a trade of 10 VN30F2412 at <second>
    Then a basis divergence alert is raised for VN30F2412

    Examples:
      | before   | after    | first  | second |
      | premium  | discount | 1255.0 | 1245.0 |
      | discount | premium  | 1245.0 | 1255.0 |

  @severity:normal
  Scenario: Futures staying at a premium raise nothing
    Given VN30F2412 has traded at 1255.0
    When the exchange reports a trade of 10 VN30F2412 at 1252.0
    Then no basis divergence alert is raised for VN30F2412
