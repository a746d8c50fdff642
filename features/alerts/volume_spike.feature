@alerts @allure.label.epic:Alerts @rule:alert-volume-spike
Feature: Volume spike alerts
  As a trader
  I want to be warned when a single trade is far larger than usual for the stock
  So that I notice block trades as they happen

  Contract rule: a trade whose volume is more than 3.0 times the mean of the symbol's trades
  in the trailing 20 minutes (itself included), with at least 10 trades, raises a warning.

  @severity:critical
  Scenario Outline: Volume spike: <case>
    Given VNM has traded <earlier> times at 700 shares
    When the exchange reports a trade of <volume> VNM at 80.0
    Then <outcome> volume spike alert is raised for VNM

    Examples: above three times the mean with enough trades
      | case                                      | earlier | volume | outcome |
      | Just above 3.0 times the mean alerts      | 9       | 2,701  | a       |
      | The tenth trade is enough to alert        | 9       | 50,000 | a       |

    Examples: at the threshold or with too few trades
      | case                                      | earlier | volume | outcome |
      | Exactly 3.0 times the mean does not alert | 9       | 2,700  | no      |
      | Nine trades are too few to alert          | 8       | 50,000 | no      |

  @clock @severity:normal
  Scenario Outline: Trades <age> seconds old <count> towards the trailing 20 minutes
    Given it is 10:00:00 in Ho Chi Minh City
    And VNM has traded 9 times at 700 shares
    And <age> seconds have passed
    When the exchange reports a trade of 50,000 VNM at 80.0
    Then <outcome> volume spike alert is raised for VNM

    Examples: inside the window
      | age  | count           | outcome |
      | 1199 | still count     | a       |

    Examples: outside the window
      | age  | count           | outcome |
      | 1201 | no longer count | no      |
      | 1260 | no longer count | no      |
