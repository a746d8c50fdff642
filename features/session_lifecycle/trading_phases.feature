@session_lifecycle @allure.label.epic:SessionLifecycle
Feature: Trading phases and volume accounting
  As a market analyst
  I want volume split by the opening auction, continuous trading and the closing auction
  So that I can compare auction interest with intraday flow

  Contract rule: ato + continuous + atc = total; buy + sell + neutral = total; every share
  reported by the exchange is counted exactly once.

  @smoke @severity:critical @rule:phases
  Scenario: Volume is split by trading phase
    Given the best bid for VNM is 80.0 and the best ask is 80.5
    When the exchange reports these VNM trades:
      | session | volume | price |
      | ATO     | 3,000  | 80.5  |
      | LO      | 1,000  | 80.5  |
      | LO      | 500    | 80.0  |
      | ATC     | 2,000  | 80.0  |
    Then the volume of VNM by phase is:
      | phase      | bought actively | sold actively | neutral | total |
      | ato        | 0               | 0             | 3,000   | 3,000 |
      | continuous | 1,000           | 500           | 0       | 1,500 |
      | atc        | 0               | 0             | 2,000   | 2,000 |

  @severity:normal @rule:phases
  Scenario: Trades in the lunch break and put-through count as continuous
    Given the best bid for VNM is 80.0 and the best ask is 80.5
    When the exchange reports these VNM trades:
      | session | volume | price |
      | BREAK   | 100    | 80.5  |
      | PT      | 200    | 80.2  |
    Then the volume of VNM by phase is:
      | phase      | bought actively | sold actively | neutral | total |
      | ato        | 0               | 0             | 0       | 0     |
      | continuous | 100             | 0             | 200     | 300   |
      | atc        | 0               | 0             | 0       | 0     |

  @severity:normal @rule:phases
  Scenario: Trades in the C session count as continuous and are classified
    Given the best bid for VNM is 80.0 and the best ask is 80.5
    When the exchange reports these VNM trades:
      | session | volume | price |
      | C       | 100    | 80.5  |
      | C       | 200    | 80.0  |
    Then the volume of VNM by phase is:
      | phase      | bought actively | sold actively | neutral | total |
      | ato        | 0               | 0             | 0       | 0     |
      | continuous | 100             | 200           | 0       | 300   |
      | atc        | 0               | 0             | 0       | 0     |

  @rule:conservation
  Rule: Over a whole scripted session no share is lost or counted twice

    @severity:critical
    Scenario Outline: A scripted session with seed <seed>: <invariant>
      When the exchange replays a scripted VN30 session with seed <seed>
      Then for every symbol <invariant>

      Examples:
        | seed | invariant                                      |
        | 7    | the phases add up to the total                 |
        | 7    | the active and neutral volumes add up to the total |
        | 7    | every share the exchange reported is counted once |
        | 2024 | every share the exchange reported is counted once |
