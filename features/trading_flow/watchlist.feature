@trading_flow @allure.label.epic:TradingFlow
Feature: What the tracker follows
  As a trader watching the VN30 basket
  I want the tracker to follow the basket the exchange publishes, its indices, the VN30 futures and
  the extra symbols my desk asks for
  So that my screens show what I trade, and nothing else

  Contract rule [watchlist]: the VN30 components read from the exchange (nested or flat form), VN30,
  VNINDEX and EXTRA_SYMBOLS; VN30F* futures always; every other symbol is ignored.

  @rule:watchlist
  Rule: The tracker follows the basket the exchange serves, and only it

    @severity:critical
    Scenario Outline: A basket served in the <form> form is followed, and a stock outside it ignored
      Given the exchange serves the VN30 basket ACB, FPT, VNM in the <form> form
      When the exchange reports a trade of 500 HPG at 30.0
      And the exchange reports a trade of 100 ACB at 25.0
      Then the market snapshot shows ACB
      And HPG appears nowhere in the market snapshot

      Examples:
        | form   |
        | nested |
        | flat   |

    @severity:normal
    Example: The extra symbols of the desk are followed beside the basket
      Given the desk adds E1VFVN30, FUEVFVND to the watchlist
      When the exchange reports a trade of 1,000 E1VFVN30 at 25.5
      And the exchange reports a trade of 2,000 FUEVFVND at 30.1
      Then the market snapshot shows E1VFVN30
      And the market snapshot shows FUEVFVND

    @severity:normal
    Example: VNINDEX is followed, an index the watchlist does not name is not
      When the exchange reports VN100 at 1200.0 with 50 advancing and 40 declining stocks
      And the exchange reports VNINDEX at 1280.5 with 200 advancing and 150 declining stocks
      Then the index board shows VNINDEX at 1280.5
      And VN100 appears nowhere in the market snapshot

    @severity:critical
    Example: A VN30 futures contract is followed though the basket never lists it
      Given the exchange serves the VN30 basket ACB, FPT, VNM in the nested form
      When the exchange reports a trade of 10 VN30F2503 at 1260.0
      Then the derivatives board shows VN30F2503 at 1260.0

  @rule:rest-components
  Rule: An API caller reads the VN30 list the exchange serves

    @severity:normal
    Scenario Outline: The VN30 list follows a basket served in the <form> form
      Given the exchange serves the VN30 basket ACB, FPT, VNM in the <form> form
      When an API caller asks for VN30 components
      Then the caller receives the VN30 components ACB, FPT, VNM

      Examples:
        | form   |
        | nested |
        | flat   |
