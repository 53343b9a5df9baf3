'use strict';
// A mocha reporter in the clients' step format: `  ok   NAME`, `  FAIL NAME: why`,
// then `api-testing: N passed, M failed`.
const Mocha = require( 'mocha' );
const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_RUN_END } = Mocha.Runner.constants;

class StepReporter {
	constructor( runner ) {
		let passed = 0;
		let failed = 0;
		runner.on( EVENT_TEST_PASS, ( test ) => {
			passed++;
			console.log( `  ok   ${ test.fullTitle() }` );
		} );
		runner.on( EVENT_TEST_FAIL, ( test, err ) => {
			failed++;
			const why = String( err && err.message || err ).split( '\n' )[ 0 ].slice( 0, 300 );
			console.log( `  FAIL ${ test.fullTitle() }: ${ why }` );
		} );
		runner.once( EVENT_RUN_END, () => {
			console.log( `api-testing: ${ passed } passed, ${ failed } failed` );
		} );
	}
}

module.exports = StepReporter;
