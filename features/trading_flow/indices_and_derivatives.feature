@trading_flow @allure.label.epic:TradingFlow
Feature: Indices and VN30 futures
  As a derivatives trader
  I want the VN30 index, market breadth and the futures basis on my screens
  So that I can see whether futures trade at a premium or a discount to the index

  Contract rule: basis = futures price - VN30 value; basis % = basis / VN30 * 100;
  premium when the basis is positive; advance ratio = advances / (advances + declines).

  @rule:index @rule:advance-ratio
  Rule: Index ticks reach the index screens with their breadth

    @smoke @severity:critical
    Scenario Outline: The advance ratio of VN30 with <advances> up and <declines> down is <ratio>
      Given an index screen is connected
      When the exchange reports VN30 at 1250.5 with <advances> advancing and <declines> declining stocks
      Then the index screen shows VN30 at 1250.5 with an advance ratio of <ratio>

      Examples:
        | advances | declines | ratio |
        | 18       | 6        | 0.75  |
        | 0        | 0        | 0     |
        | 0        | 30       | 0     |

  @rule:index
  Rule: An index shows the breadth the exchange reports

    @severity:normal
    Scenario Outline: VN30 with <advances> up, <declines> down and <unchanged> unchanged shows just that
      When the exchange reports VN30 at 1250.5 with <advances> advancing, <declines> declining and <unchanged> unchanged stocks
      Then the index board shows VN30 with <advances> advancing, <declines> declining and <unchanged> unchanged stocks

      Examples:
        | advances | declines | unchanged |
        | 12       | 18       | 0         |
        | 0        | 0        | 30        |

  @rule:index
  Rule: An index keeps its prior value and one intraday point per update

    @severity:critical
    Example: Every update of an index adds a point to its intraday line, repeats included
      When the exchange reports VN30 at 1250.0 with 15 advancing and 15 declining stocks
      And the exchange reports VN30 at 1250.0 with 15 advancing and 15 declining stocks
      And the exchange reports VN30 at 1252.5 with 16 advancing and 14 declining stocks
      Then the intraday line of VN30 shows 1250.0 then 1250.0 then 1252.5

    @severity:normal
    Example: An index update carries its prior value and the change from it
      When the exchange reports VN30 at 1262.5 against a prior value of 1250.0
      Then the index board shows VN30 at 1262.5, up 12.5 or 1.0 % from a prior value of 1250.0

    @severity:normal
    Example: An update without a prior value is measured against the prior value sent earlier
      Given the exchange reports VN30 at 1250.0 against a prior value of 1250.0
      When the exchange reports VN30 at 1262.5 with 16 advancing and 14 declining stocks
      Then the index board shows VN30 at 1262.5, up 12.5 or 1.0 % from a prior value of 1250.0

    @severity:normal
    Example: An index whose prior value is still unknown shows no change
      When the exchange reports VN30 at 1250.5 with 18 advancing and 6 declining stocks
      Then the index board shows VN30 at 1250.5 with no change

  Rule: A futures trade is priced against the VN30 index

    @severity:critical @rule:derivatives @rule:basis
    Scenario Outline: A futures trade at <price> shows a <kind> of <basis> points
      Given the exchange reports VN30 at 1250.0 with 15 advancing and 15 declining stocks
      When the exchange reports a trade of 10 VN30F2412 at <price>
      Then the derivatives board shows VN30F2412 at <price> with a <kind> of <basis> points or <basis_pct> %

      Examples:
        | price  | kind     | basis | basis_pct |
        | 1255.0 | premium  | 5.0   | 0.4       |
        | 1237.5 | discount | -12.5 | -1.0      |

      Examples: a premium only above the index
        | price  | kind     | basis | basis_pct |
        | 1250.1 | premium  | 0.1   | 0.008     |
        | 1250.0 | basis    | 0.0   | 0.0       |

    @severity:normal @rule:basis-trend
    Example: Every futures trade adds a point to the basis trend
      Given the exchange reports VN30 at 1250.0 with 15 advancing and 15 declining stocks
      When the exchange reports a trade of 10 VN30F2412 at 1255.0
      And the exchange reports a trade of 5 VN30F2412 at 1245.0
      Then the basis trend of the last 30 minutes shows 5.0 then -5.0 points

    @severity:normal @rule:basis-trend
    Scenario Outline: A futures trade at <price>, however low, adds a point to the basis trend
      Given the exchange reports VN30 at 1250.0 with 15 advancing and 15 declining stocks
      When the exchange reports a trade of 10 VN30F2412 at <price>
      Then the basis trend of the last 30 minutes shows <basis> points

      Examples:
        | price | basis   |
        | 1.0   | -1249.0 |
        | 0.1   | -1249.9 |

    @clock @severity:normal @rule:basis-trend
    Scenario Outline: A basis point <age> seconds old is <kept> in the trend of the last 10 minutes
      Given it is 10:00:00 in Ho Chi Minh City
      And the exchange reports VN30 at 1250.0 with 15 advancing and 15 declining stocks
      And VN30F2412 has traded 10 contracts at 1255.0
      And <age> seconds have passed
      When the exchange reports a trade of 10 VN30F2412 at 1245.0
      Then the basis trend of the last 10 minutes shows <points> points

      Examples:
        | age | kept     | points         |
        | 599 | kept     | 5.0 then -5.0  |
        | 601 | not kept | -5.0           |

    @clock @severity:normal @rule:basis-trend @rule:rest-basis-trend
    Scenario Outline: Asked without a window, the trend covers 30 minutes: a point <age> seconds old is <kept>
      Given it is 10:00:00 in Ho Chi Minh City
      And the exchange reports VN30 at 1250.0 with 15 advancing and 15 declining stocks
      And VN30F2412 has traded 10 contracts at 1255.0
      And <age> seconds have passed
      When the exchange reports a trade of 10 VN30F2412 at 1245.0
      Then the basis trend asked without a window shows <points> points

      Examples:
        | age  | kept   | points        |
        | 1799 | in     | 5.0 then -5.0 |
        | 1801 | out    | -5.0          |

  @rule:active-contract
  Rule: The derivatives board and the basis follow the active contract

    @severity:critical
    Example: A contract that trades one contract more than the active one takes over
      Given the exchange reports VN30 at 1250.0 with 15 advancing and 15 declining stocks
      And VN30F2412 has traded 100 contracts at 1255.0
      When the exchange reports a trade of 101 VN30F2501 at 1245.0
      Then the derivatives board shows VN30F2501 at 1245.0 with a discount of -5.0 points or -0.4 %

    @severity:critical
    Example: A contract one contract short of the active one does not take over
      Given the exchange reports VN30 at 1250.0 with 15 advancing and 15 declining stocks
      And VN30F2412 has traded 100 contracts at 1255.0
      When the exchange reports a trade of 99 VN30F2501 at 1245.0
      Then the derivatives board still shows VN30F2412 at 1255.0 with a premium of 5.0 points or 0.4 %

    @severity:normal
    Example: The basis trend goes on with the contract that took over
      Given the exchange reports VN30 at 1250.0 with 15 advancing and 15 declining stocks
      And VN30F2412 has traded 100 contracts at 1255.0
      When the exchange reports a trade of 101 VN30F2501 at 1245.0
      Then the basis trend of the last 30 minutes shows 5.0 then -5.0 points

    @severity:critical
    Example: A pinned contract is the active one though another trades more
      Given the active futures contract is pinned to VN30F2503
      And the exchange reports VN30 at 1250.0 with 15 advancing and 15 declining stocks
      When the exchange reports a trade of 5,000 VN30F2412 at 1255.0
      And the exchange reports a trade of 1 VN30F2503 at 1245.0
      Then the derivatives board shows VN30F2503 at 1245.0 with a discount of -5.0 points or -0.4 %

    @severity:critical
    Example: A contract that trades more after the pinned one does not take over
      Given the active futures contract is pinned to VN30F2503
      And the exchange reports VN30 at 1250.0 with 15 advancing and 15 declining stocks
      And VN30F2503 has traded 10 contracts at 1245.0
      When the exchange reports a trade of 5,000 VN30F2412 at 1255.0
      Then the derivatives board still shows VN30F2503 at 1245.0 with a discount of -5.0 points or -0.4 %
