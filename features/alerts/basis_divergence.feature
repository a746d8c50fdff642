@wip @alerts @allure.label.epic:Alerts
Feature: Basis divergence alerts
  As a derivatives trader
  I want a warning when VN30 futures flip between premium and discount
  So that I can spot a change of sentiment in the futures market

  Background:
    Given the exchange reports VN30 at 1250.0 with 15 advancing and 15 declining stocks

  @severity:critical
  Scenario: Futures flipping from premium to discount raise a warning
    Given VN30F2412 has traded at 1255.0
    When the exchange reports a trade of 10 VN30F2412 at 1245.0
    Then a basis divergence alert is raised for VN30F2412

  @severity:normal
  Scenario: Futures staying at a premium raise nothing
    Given VN30F2412 has traded at 1255.0
    When the exchange reports a trade of 10 VN30F2412 at 1252.0
    Then no basis divergence alert is raised for VN30F2412
