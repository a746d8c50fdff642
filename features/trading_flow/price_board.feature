@trading_flow @allure.label.epic:TradingFlow
Feature: Price board
  As a trader
  I want the latest price of each stock with its reference, ceiling and floor
  So that I can see how far it is from its daily limits

  @smoke @severity:critical @rule:prices @rule:quotes
  Scenario: A trade updates the price board
    Given VNM has a reference price of 80.0, a ceiling of 85.6 and a floor of 74.4
    When the exchange reports a trade of 100 VNM at 81.0, up 1.0 or 1.25 %
    Then the price board shows VNM at 81.0, up 1.0 or 1.25 %
    And the price board shows VNM between a floor of 74.4 and a ceiling of 85.6 around 80.0

  @severity:normal @rule:prices
  Scenario Outline: A trade that does not carry its change is measured against the reference price: <price> is <direction> <change>
    Given VNM has a reference price of 80.0, a ceiling of 85.6 and a floor of 74.4
    When the exchange reports a trade of 100 VNM at <price>
    Then the price board shows VNM at <price>, <direction> <change> from its reference price

    Examples:
      | price | direction | change |
      | 81.5  | up        | 1.5    |
      | 79.0  | down      | 1.0    |

  @severity:normal @rule:quotes
  Scenario: A trade that carries its quote sets the price band too
    When the exchange reports a trade of 100 VNM at 81.0 in one message with a reference price of 80.0, a ceiling of 85.6 and a floor of 74.4
    Then the price board shows VNM between a floor of 74.4 and a ceiling of 85.6 around 80.0
    And the price board shows VNM at 81.0, up 1.0 or 1.25 %

  @severity:normal @rule:watchlist
  Scenario: Symbols outside the watchlist never appear
    When the exchange reports a trade of 1,000 XYZ at 10.0
    And the exchange reports a trade of 100 VNM at 80.0
    Then the market snapshot shows VNM
    And XYZ appears nowhere in the market snapshot
