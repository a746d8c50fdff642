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

    @severity:normal @rule:basis-trend
    Example: Every futures trade adds a point to the basis trend
      Given the exchange reports VN30 at 1250.0 with 15 advancing and 15 declining stocks
      When the exchange reports a trade of 10 VN30F2412 at 1255.0
      And the exchange reports a trade of 5 VN30F2412 at 1245.0
      Then the basis trend of the last 30 minutes shows 5.0 then -5.0 points
