/**
 * Chart.js with only what the tab draws (bars and a line): imported dynamically by
 * AnalyticsChart.vue, so the library is its own chunk, loaded with the Analytics tab only.
 */
import { BarController, BarElement, CategoryScale, Chart, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js'

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip)

export { Chart }
