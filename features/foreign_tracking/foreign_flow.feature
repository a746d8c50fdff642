@foreign_tracking @allure.label.epic:ForeignTracking
Feature: Foreign investor flow
  As a foreign-flow analyst
  I want the exchange's cumulative foreign figures turned into net flow, speed and rankings
  So that I can see where foreign money is going right now

  Contract rule: foreign figures arrive cumulative since the open; the tracker takes deltas
  (the first message counts in full, a drop counts as zero), speed = deltas of the trailing
  5 minutes / 5, net = buy - sell, top 5 buyers and sellers by net value.

  Rule: Cumulative figures become net flow

    @smoke @severity:blocker @rule:foreign-delta
    Example: Buying and selling become a net figure
      Given a foreign-flow screen is connected
      When the exchange reports foreign investors in FPT have bought 10,000 shares for 1,200,000,000 VND and sold 4,000 for 480,000,000 VND
      Then the foreign-flow screen shows FPT with a net of 6,000 shares worth 720,000,000 VND

    @severity:critical @rule:foreign-delta
    Example: Figures named without the F prefix become net flow the same way
      Given a foreign-flow screen is connected
      When the exchange reports foreign investors in FPT have bought 10,000 shares for 1,200,000,000 VND and sold 4,000 for 480,000,000 VND, named without the F prefix
      Then the foreign-flow screen shows FPT with a net of 6,000 shares worth 720,000,000 VND

    @severity:normal @rule:foreign-delta
    Example: A first report that names only selling counts no buying
      When the exchange reports foreign investors in FPT have sold 4,000 shares for 480,000,000 VND, naming no purchases
      Then the foreign detail lists these stocks:
        | symbol | net volume | net value    |
        | FPT    | -4,000     | -480,000,000 |

    @severity:critical @rule:foreign-summary
    Example: The summary totals every symbol
      When the exchange reports these foreign totals:
        | symbol | bought | bought value  | sold  | sold value    |
        | FPT    | 10,000 | 1,200,000,000 | 4,000 | 480,000,000   |
        | VNM    | 2,000  | 160,000,000   | 7,000 | 560,000,000   |
        | HPG    | 5,000  | 150,000,000   | 0     | 0             |
      Then the foreign summary shows 17,000 shares bought for 1,510,000,000 VND
      And the foreign summary shows 11,000 shares sold for 1,040,000,000 VND
      And the foreign summary shows a net of 6,000 shares worth 470,000,000 VND

    @severity:critical @rule:foreign-summary
    Example: The top buyers and sellers are ranked by net value
      When the exchange reports these foreign totals:
        | symbol | bought | bought value  | sold | sold value    |
        | ACB    | 100    | 700,000,000   | 0    | 0             |
        | BID    | 100    | 600,000,000   | 0    | 0             |
        | CTG    | 100    | 500,000,000   | 0    | 0             |
        | FPT    | 100    | 400,000,000   | 0    | 0             |
        | GAS    | 100    | 300,000,000   | 0    | 0             |
        | HPG    | 100    | 200,000,000   | 0    | 0             |
        | MBB    | 0      | 0             | 100  | 900,000,000   |
        | MSN    | 0      | 0             | 100  | 800,000,000   |
      Then the top foreign buyers are ACB, BID, CTG, FPT, GAS
      And the top foreign sellers are MBB, MSN, HPG, GAS, FPT

  @rule:rest-foreign-detail
  Rule: The foreign detail lists every stock beside the summary

    @severity:critical
    Example: Each stock with foreign flow is listed with its net
      When the exchange reports these foreign totals:
        | symbol | bought | bought value  | sold  | sold value  |
        | FPT    | 10,000 | 1,200,000,000 | 4,000 | 480,000,000 |
        | VNM    | 2,000  | 160,000,000   | 7,000 | 560,000,000 |
        | HPG    | 5,000  | 150,000,000   | 0     | 0           |
      Then the foreign detail lists these stocks:
        | symbol | net volume | net value    |
        | FPT    | 6,000      | 720,000,000  |
        | VNM    | -5,000     | -400,000,000 |
        | HPG    | 5,000      | 150,000,000  |
      And the foreign summary shows a net of 6,000 shares worth 470,000,000 VND

  @rule:foreign-speed
  Rule: Speed counts each new share once

    @severity:critical @rule:foreign-delta
    Example: The first report counts in full
      When the exchange reports foreign investors in FPT have bought 10,000 shares so far
      Then foreign buying in FPT runs at 2,000 shares per minute

    @severity:critical @rule:foreign-delta
    Example: A later report adds only what is new
      When the exchange reports foreign investors in FPT have bought 10,000 shares so far
      And the exchange reports foreign investors in FPT have bought 15,000 shares so far
      Then foreign buying in FPT runs at 3,000 shares per minute

    @severity:critical @rule:foreign-delta
    Example: A later report named without the F prefix also adds only what is new
      When the exchange reports foreign investors in FPT have bought 10,000 shares so far
      And the exchange reports foreign investors in FPT have bought 15,000 shares so far, named without the F prefix
      Then foreign buying in FPT runs at 3,000 shares per minute

    @severity:critical @rule:foreign-delta
    Example: A cumulative figure that drops never counts negative
      When the exchange reports foreign investors in FPT have bought 10,000 shares so far
      And the exchange reports foreign investors in FPT have bought 8,000 shares so far
      Then foreign buying in FPT runs at 2,000 shares per minute

    @clock @severity:normal
    Example: Speed forgets what is older than five minutes and shows the slowdown
      Given it is 10:00:00 in Ho Chi Minh City
      And the exchange reported foreign investors in FPT have bought 5,000 shares so far
      And 2 minutes have passed
      And the exchange reported foreign investors in FPT have bought 15,000 shares so far
      When 4 minutes pass
      And the exchange reports foreign investors in FPT have bought 15,000 shares so far
      Then foreign buying in FPT runs at 2,000 shares per minute
      And foreign buying in FPT has slowed by 1,000 shares per minute

    @severity:normal
    Example: The first report speeds buying and selling up from a standstill
      When the exchange reports foreign investors in FPT have bought 10,000 shares for 1,000,000,000 VND and sold 5,000 for 500,000,000 VND
      Then foreign buying in FPT has sped up by 2,000 shares per minute
      And foreign selling in FPT has sped up by 1,000 shares per minute

    @severity:critical
    Example: Selling runs at its own speed beside buying
      When the exchange reports foreign investors in FPT have bought 10,000 shares so far
      And the exchange reports foreign investors in FPT have sold 4,000 shares so far
      Then foreign selling in FPT runs at 800 shares per minute
      And foreign buying in FPT runs at 2,000 shares per minute

    @clock @severity:critical
    Scenario Outline: Selling reported <age> seconds before <counts> towards the speed
      Given it is 10:00:00 in Ho Chi Minh City
      And the exchange reported foreign investors in FPT have sold 10,000 shares so far
      And <age> seconds have passed
      When the exchange reports foreign investors in FPT have sold 15,000 shares so far
      Then foreign selling in FPT runs at <speed> shares per minute
      And foreign selling in FPT has <trend> by <change> shares per minute

      Examples:
        | age | counts           | speed | trend   | change |
        | 299 | still counts     | 3,000 | sped up | 1,000  |
        | 301 | no longer counts | 1,000 | slowed  | 1,000  |

  @rule:foreign-reseed
  Rule: A reconnect does not invent flow

    @clock @real_time_fallback @severity:critical
    Example: After a reconnect the baseline is re-seeded without a false spike
      Given the exchange reported foreign investors in FPT have bought 10,000 shares so far
      And the feed drops while foreign buying in FPT reaches 50,000 shares
      When the exchange reports foreign investors in FPT have bought 51,000 shares so far
      Then foreign buying in FPT runs at 2,200 shares per minute
