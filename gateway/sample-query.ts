/** The cross-department household query: the explorer's first query and the banner's example. */
export const HOUSEHOLD_QUERY = `query Household($id: ID!) {
  household(id: $id) {
    id
    regionName
    address
    members {
      id
      name
      relationToHead
      properties { certificateNumber usage area }
      providentFund { status monthlyDeposit balance }
      medicalInsurance { scheme status }
      medicalExpenses(months: 12) { total reimbursed outOfPocket }
      employment { status }
      socialInsurance { contributionBase }
    }
    housingSupport { kind status monthlyAmount }
    disasterDamage { event { kind name } severity estimatedLoss }
    reliefReceived { kind amount }
    determinations { program decision monthlyAmount effectiveFrom }
  }
}`;
